#!/bin/bash
# v22 call G (H100): stg3 (stg1 + the first LGN chunks short: 8, 16, 32 … steps) against main (rev): W1 by LGN
# input form (lgnvar2.mjs), W1 ×3 and W2 interleaved; stg3's parity suite and LGN GPU test.
set -u
for v in rev stg3; do [ -f .cache/$v/v1lm.node ] || xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
nproc >> $OUT/machine.txt
timeout 200 node .gpu/prebuild.mjs > $OUT/prebuild.log 2>&1
for v in rev stg3 rev stg3; do
  echo "lgnvar $v" >> $OUT/summary.txt
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 120 node .gpu/lgnvar2.mjs 2>&1 | tail -6 >> $OUT/summary.txt
done
b() { # name addon args...
  local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 150 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/; s/NVIDIA H100 80GB HBM3/H100/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2 3; do
  b rev-w1-$r rev W1 --trials 10
  b stg3-w1-$r stg3 W1 --trials 10
done
b rev-w2 rev W2 --trials 10
b stg3-w2 stg3 W2 --trials 10
V1LM_ADDON=$PWD/.cache/stg3/v1lm.node timeout 100 node --test --test-reporter=spec test/gpu/lgn-cuda.test.mjs > $OUT/lgn-stg3.log 2>&1
echo "lgn-cuda stg3 exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/lgn-stg3.log | tr '\n' ' ')" >> $OUT/summary.txt
V1LM_ADDON=$PWD/.cache/stg3/v1lm.node timeout 200 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity-stg3.log 2>&1
echo "parity stg3 exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-stg3.log | tr '\n' ' ')" >> $OUT/summary.txt
grep -m3 -E 'AssertionError' $OUT/parity-stg3.log >> $OUT/summary.txt
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
