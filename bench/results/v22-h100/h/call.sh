#!/bin/bash
# v22 call H (H100): the GPU gate of main 0484858 (land: the LGN staging of stg3): parity suite, LGN GPU test;
# W1 ×2 and F interleaved with main before (rev), W2 of land.
set -u
for v in rev land; do [ -f .cache/$v/v1lm.node ] || xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
V1LM_ADDON=$PWD/.cache/land/v1lm.node timeout 200 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity-land.log 2>&1
echo "parity land exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-land.log | tr '\n' ' ')" >> $OUT/summary.txt
grep "^# inputs ahead" $OUT/parity-land.log >> $OUT/summary.txt
grep -m3 -E 'AssertionError' $OUT/parity-land.log >> $OUT/summary.txt
V1LM_ADDON=$PWD/.cache/land/v1lm.node timeout 100 node --test --test-reporter=spec test/gpu/lgn-cuda.test.mjs > $OUT/lgn-land.log 2>&1
echo "lgn-cuda land exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/lgn-land.log | tr '\n' ' ')" >> $OUT/summary.txt
timeout 200 node .gpu/prebuild.mjs > $OUT/prebuild.log 2>&1
b() { # name addon args...
  local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 150 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/; s/NVIDIA H100 80GB HBM3/H100/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2; do
  b rev-w1-$r rev W1 --trials 10
  b land-w1-$r land W1 --trials 10
done
b land-w2 land W2 --trials 10
b rev-f rev F --trials 10
b land-f land F --trials 10
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
