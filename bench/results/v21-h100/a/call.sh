#!/bin/bash
# v21 call A (H100): programmatic dependent launch of the steps' kernels for batches of 1–2 (pdl1 = branch exp-pdl)
# against main (fin = 7ae1260 kernels): the parity suite and LGN GPU test of pdl1, then W1 ×3 interleaved of fin,
# pdl1 and pdl1 with V1LM_OVERLAP_LAUNCHES=0 (same kernels, plain launches).
set -u
for v in fin pdl1; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
V1LM_ADDON=$PWD/.cache/pdl1/v1lm.node timeout 150 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity-pdl1.log 2>&1
echo "parity pdl1 exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-pdl1.log | tr '\n' ' ')" >> $OUT/summary.txt
grep "^# inputs ahead" $OUT/parity-pdl1.log >> $OUT/summary.txt
V1LM_ADDON=$PWD/.cache/pdl1/v1lm.node timeout 100 node --test --test-reporter=spec test/gpu/lgn-cuda.test.mjs > $OUT/lgn-pdl1.log 2>&1
echo "lgn-cuda pdl1 exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/lgn-pdl1.log | tr '\n' ' ')" >> $OUT/summary.txt
timeout 200 node .gpu/prebuild-w1.mjs > $OUT/prebuild.log 2>&1
b() { # name addon args...
  local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 150 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/; s/NVIDIA H100 80GB HBM3/H100/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2 3; do
  b fin-w1-$r fin W1 --trials 10
  b pdl1-w1-$r pdl1 W1 --trials 10
  V1LM_OVERLAP_LAUNCHES=0 b pdl1off-w1-$r pdl1 W1 --trials 10
done
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
