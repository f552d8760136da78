#!/bin/bash
# v16 call D (H100): the gate of main after v16 (mainv16: dI rows padded to 4 steps) — parity, the LGN GPU test,
# W1 / W2 / F, W2 bfloat16, C — and two W1 levers against it: kNeuron in blocks of 64 for B ≤ 2 (nsplit, branch
# exp-neuron-split) and the same with 8 LGN units per warp (nsl, branch exp-lgn-8units); W1 twice alternating.
set -u
for v in mainv16 nsplit nsl; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
timeout 300 node .gpu/prebuild.mjs > $OUT/prebuild.log 2>&1 &
PB=$!
timeout 420 node .gpu/prebuild-c.mjs > $OUT/prebuild-c.log 2>&1 &
PC=$!
p() { # addon [lgn]
  export V1LM_ADDON=$PWD/.cache/$1/v1lm.node
  timeout 150 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity-$1.log 2>&1
  echo "parity $1 exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-$1.log | tr '\n' ' ')" >> $OUT/summary.txt
  if [ -n "${2:-}" ]; then
    timeout 60 node --test --test-reporter=spec test/gpu/lgn-cuda.test.mjs > $OUT/lgn-cuda-$1.log 2>&1
    echo "lgn-cuda $1 exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/lgn-cuda-$1.log | tr '\n' ' ')" >> $OUT/summary.txt
  fi
  unset V1LM_ADDON
}
p mainv16 lgn; p nsl lgn; p nsplit
wait $PB
b() { # name addon args...
  local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 150 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/; s/NVIDIA H100 80GB HBM3/H100/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2; do for v in mainv16 nsplit nsl; do b $v-w1-$r $v W1 --trials 10; done; done
b mainv16 mainv16 W2 F --trials 10
b mainv16-bf16 mainv16 W2 --trials 10 --adjoint_precision bfloat16
wait $PC
b mainv16-C mainv16 C --trials 5
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
