#!/bin/bash
# v17 call J (H100): the gate of main after v17 (mainv17 = main 22a93db: LGN rows and LGN gradients 4 in flight,
# the chunk offsets only for B ≤ 2) — parity, the LGN GPU test, W1 ×2, W2 / F, W2 bfloat16, C — and kPush<4>
# for every batch (push4) on W2 / F.
set -u
for v in mainv17 push4; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
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
p mainv17 lgn; p push4
wait $PB
b() { # name addon args...
  local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 150 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/; s/NVIDIA H100 80GB HBM3/H100/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2; do b mainv17-w1-$r mainv17 W1 --trials 10; done
b mainv17 mainv17 W2 F --trials 10
b push4 push4 W2 F --trials 10
b mainv17-bf16 mainv17 W2 --trials 10 --adjoint_precision bfloat16
wait $PC
b mainv17-C mainv17 C --trials 5
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
