#!/bin/bash
# v22 call E (H100): stg1 (the LGN chunks staged by one thread per staging slot) against main (rev): W1 by LGN
# input form (lgnvar.mjs), W1 ×3 and W2 interleaved; stg1's parity suite and LGN GPU test.
set -u
for v in rev stg1; do [ -f .cache/$v/v1lm.node ] || xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
nproc >> $OUT/machine.txt
timeout 200 node .gpu/prebuild.mjs > $OUT/prebuild.log 2>&1
for v in rev stg1; do
  echo "lgnvar $v" >> $OUT/summary.txt
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 120 node .gpu/lgnvar.mjs 2>&1 | tail -5 >> $OUT/summary.txt
done
b() { # name addon args...
  local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 150 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/; s/NVIDIA H100 80GB HBM3/H100/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2 3; do
  b rev-w1-$r rev W1 --trials 10
  b stg1-w1-$r stg1 W1 --trials 10
done
b rev-w2 rev W2 --trials 10
b stg1-w2 stg1 W2 --trials 10
V1LM_ADDON=$PWD/.cache/stg1/v1lm.node timeout 100 node --test --test-reporter=spec test/gpu/lgn-cuda.test.mjs > $OUT/lgn-stg1.log 2>&1
echo "lgn-cuda stg1 exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/lgn-stg1.log | tr '\n' ' ')" >> $OUT/summary.txt
V1LM_ADDON=$PWD/.cache/stg1/v1lm.node timeout 200 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity-stg1.log 2>&1
echo "parity stg1 exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-stg1.log | tr '\n' ' ')" >> $OUT/summary.txt
grep -m3 -E 'AssertionError' $OUT/parity-stg1.log >> $OUT/summary.txt
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
