#!/bin/bash
# v20 call J (H100): the GPU gate of final main (fin): the parity suite (15 cases) and the LGN GPU test, then W1 ×2.
set -u
xz -dc .cache/fin/v1lm.node.xz > .cache/fin/v1lm.node
export V1LM_ADDON=$PWD/.cache/fin/v1lm.node
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
timeout 150 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity-fin.log 2>&1
echo "parity fin exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-fin.log | tr '\n' ' ')" >> $OUT/summary.txt
grep "^# inputs ahead" $OUT/parity-fin.log >> $OUT/summary.txt
timeout 100 node --test --test-reporter=spec test/gpu/lgn-cuda.test.mjs > $OUT/lgn-fin.log 2>&1
echo "lgn-cuda fin exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/lgn-fin.log | tr '\n' ' ')" >> $OUT/summary.txt
timeout 100 node .gpu/prebuild-w1.mjs > $OUT/prebuild.log 2>&1
for r in 1 2; do
  timeout 100 node dist/bench/run.js W1 --trials 10 --out $OUT/json-w1-$r > $OUT/bench-w1-$r.txt 2>>$OUT/progress-w1-$r.txt
  echo "fin-w1-$r: $(grep -E '^ +W1 ' $OUT/bench-w1-$r.txt | sed 's/NVIDIA H100 80GB HBM3/H100/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}')" >> $OUT/summary.txt
done
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
