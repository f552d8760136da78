#!/bin/bash
# v25 call A: W1 backward by trainable set (main's kernels, rev); the same in profile mode; ncu of one pass's
# kPull and kNeuronAdj and one kStep (graphs off, caches not flushed, clocks not locked).
set -u
for v in rev; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
cat $OUT/machine.txt
timeout 200 node .gpu/prebuild-w1.mjs > $OUT/prebuild.log 2>&1
export V1LM_ADDON=$PWD/.cache/rev/v1lm.node
timeout 120 node .gpu/bwdparts.mjs 2 > $OUT/bwdparts.txt 2>&1; echo "bwdparts exit $?" >> $OUT/summary.txt
V1LM_CUDA_PROFILE=1 timeout 120 node .gpu/bwdparts.mjs 1 > $OUT/bwdparts-prof.txt 2>&1; echo "bwdparts-prof exit $?" >> $OUT/summary.txt
NCU=$(command -v ncu || ls /usr/local/cuda*/bin/ncu /opt/nvidia/nsight-compute/*/ncu 2>/dev/null | head -1)
n() { # name kernel-regex skip
  V1LM_CUDA_GRAPHS=0 timeout 120 $NCU --target-processes all --cache-control none --clock-control none -k regex:$2 --launch-skip $3 --launch-count 1 --set full node dist/bench/run.js W1 --trials 1 --out $OUT/json-ncu > $OUT/ncu-$1.txt 2>&1
  echo "ncu $1 exit $?: $(grep -E '^ +Duration ' $OUT/ncu-$1.txt | head -1)" >> $OUT/summary.txt
}
n pull '^kPull$' 400
n adj '^kNeuronAdj$' 400
n step '^kStep$' 1200
cat $OUT/summary.txt
cat $OUT/bwdparts.txt $OUT/bwdparts-prof.txt | grep -v '^blocks' | head -60
grep '^blocks' $OUT/bwdparts.txt | cut -c1-600
for f in $OUT/ncu-*.txt; do echo "== $f"; grep -E "Duration|Elapsed Cycles|SM Active Cycles|SM Frequency|Memory Throughput|L2 Hit Rate|L1/TEX Hit|Achieved Occupancy|Theoretical Occupancy|Registers Per|Waves Per SM|Grid Size|One or More Eligible|Issued Warp|No Eligible|L2 Cache Throughput|DRAM Throughput|Compute \(SM\)" $f | head -30; done
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
