#!/bin/bash
# v21 call D (H100): the push of batches 1–2 over every row without spike lists (rows1 = exp-pdl 3rd commit)
# against main (fin) and pdl1: parity and LGN of rows1, W1 ×3 interleaved, ncu of one kPushRows.
set -u
for v in fin pdl1 rows1; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
V1LM_ADDON=$PWD/.cache/rows1/v1lm.node timeout 150 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity-rows1.log 2>&1
echo "parity rows1 exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-rows1.log | tr '\n' ' ')" >> $OUT/summary.txt
grep "^# inputs ahead" $OUT/parity-rows1.log >> $OUT/summary.txt
V1LM_ADDON=$PWD/.cache/rows1/v1lm.node timeout 100 node --test --test-reporter=spec test/gpu/lgn-cuda.test.mjs > $OUT/lgn-rows1.log 2>&1
echo "lgn-cuda rows1 exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/lgn-rows1.log | tr '\n' ' ')" >> $OUT/summary.txt
timeout 200 node .gpu/prebuild-w1.mjs > $OUT/prebuild.log 2>&1
b() { # name addon args...
  local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 150 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/; s/NVIDIA H100 80GB HBM3/H100/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2 3; do
  b fin-w1-$r fin W1 --trials 10
  b pdl1-w1-$r pdl1 W1 --trials 10
  b rows1-w1-$r rows1 W1 --trials 10
done
NCU=$(command -v ncu || ls /usr/local/cuda*/bin/ncu /opt/nvidia/nsight-compute/*/ncu 2>/dev/null | head -1)
V1LM_ADDON=$PWD/.cache/rows1/v1lm.node V1LM_CUDA_GRAPHS=0 timeout 150 $NCU --target-processes all -k regex:kPushRows --launch-skip 700 --launch-count 1 --set full node dist/bench/run.js W1 --trials 1 --out $OUT/json-ncu > $OUT/ncu-rows1.txt 2>&1
echo "ncu rows1 exit $?: $(grep -E '^ +Duration ' $OUT/ncu-rows1.txt | head -1)" >> $OUT/summary.txt
cat $OUT/summary.txt
grep -E "Duration|Elapsed Cycles|L2 Hit Rate|Achieved Occupancy|Waves Per SM|Grid Size|Issued Warp|No Eligible|DRAM Throughput" $OUT/ncu-rows1.txt | head -12
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
