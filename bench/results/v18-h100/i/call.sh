#!/bin/bash
# v18 call I (H100): the gate of main after the review commit beb69c3 (host code only: its 58 kernels are
# byte-identical to d56512b's) — the parity suite, the LGN GPU test, W1 ×2, W2.
set -u
xz -dc .cache/review/v1lm.node.xz > .cache/review/v1lm.node
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
timeout 300 node .gpu/prebuild.mjs > $OUT/prebuild.log 2>&1 &
PB=$!
export V1LM_ADDON=$PWD/.cache/review/v1lm.node
timeout 300 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity-review.log 2>&1
echo "parity review exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-review.log | tr '\n' ' ')" >> $OUT/summary.txt
timeout 60 node --test --test-reporter=spec test/gpu/lgn-cuda.test.mjs > $OUT/lgn-cuda-review.log 2>&1
echo "lgn-cuda review exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/lgn-cuda-review.log | tr '\n' ' ')" >> $OUT/summary.txt
unset V1LM_ADDON
wait $PB
b() { # name addon args...
  local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 150 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/; s/NVIDIA H100 80GB HBM3/H100/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2; do b review-w1-$r review W1 --trials 10; done
b review review W2 --trials 10
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
