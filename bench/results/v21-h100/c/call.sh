#!/bin/bash
# v21 call C (H100): ncu (--set full, graphs off) of one W1 step's kernels: kGatherSpikes and kNeuron of gat1,
# kPush<4> of pdl1; then W1 of each with V1LM_CUDA_PROFILE=1.
set -u
for v in pdl1 gat1; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
timeout 200 node .gpu/prebuild-w1.mjs > $OUT/prebuild.log 2>&1
NCU=$(command -v ncu || ls /usr/local/cuda*/bin/ncu /opt/nvidia/nsight-compute/*/ncu 2>/dev/null | head -1)
n() { # name addon kernel skip
  V1LM_ADDON=$PWD/.cache/$2/v1lm.node V1LM_CUDA_GRAPHS=0 timeout 150 $NCU --target-processes all -k regex:$3 --launch-skip $4 --launch-count 1 --set full node dist/bench/run.js W1 --trials 1 --out $OUT/json-ncu > $OUT/ncu-$1.txt 2>&1
  echo "ncu $1 exit $?: $(grep -E '^ +Duration ' $OUT/ncu-$1.txt | head -1)" >> $OUT/summary.txt
}
n gat1-gather gat1 kGatherSpikes 700
n gat1-neuron gat1 kNeuron 700
n pdl1-push pdl1 kPush 700
cat $OUT/summary.txt
for f in $OUT/ncu-*.txt; do echo "== $f"; grep -E "Duration|Elapsed Cycles|SM Frequency|Memory Throughput|L2 Hit Rate|Achieved Occupancy|Registers Per|Waves Per SM|Grid Size|One or More Eligible|Issued Warp|No Eligible|Stall|DRAM Throughput|L1/TEX Hit" $f | head -30; done
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
