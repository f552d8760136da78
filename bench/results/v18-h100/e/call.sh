#!/bin/bash
# v18 call E (H100): the gate of main after v18 (mainfinal = main 086b20a: kNeuronAdj by receptor slots with
# neurons in lanes and dI staged in shared memory, the pieces' weight gradients in their own walk) — parity,
# the LGN GPU test, W1 ×2, W2 ×2, W2 bfloat16, F, C — and pg3 (3 in flight in the float gradient rows): parity,
# W2 ×2, C. The full column's network is built first, alone beside the parity runs, so that no timing row runs
# beside a build.
set -u
for v in mainfinal pg3; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
timeout 420 node .gpu/prebuild-c.mjs > $OUT/prebuild-c.log 2>&1 &
PC=$!
timeout 300 node .gpu/prebuild.mjs > $OUT/prebuild.log 2>&1 &
PB=$!
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
p mainfinal lgn; p pg3
wait $PB; wait $PC
b() { # name addon args...
  local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 150 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/; s/NVIDIA H100 80GB HBM3/H100/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2; do b mainfinal-w1-$r mainfinal W1 --trials 10; done
for r in 1 2; do b mainfinal-$r mainfinal W2 --trials 10; b pg3-$r pg3 W2 --trials 10; done
b mainfinal-bf16 mainfinal W2 --trials 10 --adjoint_precision bfloat16
b mainfinal-F mainfinal F --trials 10
b mainfinal-C mainfinal C --trials 5
b pg3-C pg3 C --trials 5
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
