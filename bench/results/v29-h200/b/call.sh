#!/bin/bash
# v29 call B (nvidia-h200): ncu of main after v29 (3349d67): one W1 backward pass (kPull, kNeuronAdj), one W1 kStep,
# one W2 pass (kPull, kNeuronAdj) and one W2 forward step (kPush, kNeuron): what bounds each (graphs off, caches not
# flushed, clocks not locked). The W2 network is built beside the W1 profiles.
set -u
xz -dc .cache/mend/v1lm.node.xz > .cache/mend/v1lm.node
export V1LM_ADDON=$PWD/.cache/mend/v1lm.node
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
timeout 200 node dist/bench/run.js W2 --build_only > $OUT/prebuild-w2.log 2>&1 &
PB=$!
node dist/bench/run.js W1 --build_only > $OUT/prebuild-w1.log 2>&1
NCU=$(command -v ncu || ls /usr/local/cuda*/bin/ncu /opt/nvidia/nsight-compute/*/ncu 2>/dev/null | head -1)
n() { # name workload kernel-regex skip
  V1LM_CUDA_GRAPHS=0 timeout 150 $NCU --target-processes all --cache-control none --clock-control none -k regex:$3 --launch-skip $4 --launch-count 1 --set full node dist/bench/run.js $2 --trials 1 --out $OUT/json-ncu > $OUT/ncu-$1.txt 2>&1
  echo "ncu $1 exit $?: $(grep -E '^ +Duration ' $OUT/ncu-$1.txt | head -1)" >> $OUT/summary.txt
}
n w1-pull W1 '^kPull$' 400
n w1-adj W1 '^kNeuronAdj$' 400
n w1-step W1 '^kStep$' 1200
wait $PB
n w2-pull W2 '^kPull$' 400
n w2-adj W2 '^kNeuronAdj$' 400
n w2-push W2 '^kPush$' 1200
n w2-neuron W2 '^kNeuron$' 1200
for f in $OUT/ncu-*.txt; do echo "== $f" >> $OUT/summary.txt; grep -E "Duration|Elapsed Cycles|SM Active Cycles|SM Frequency|Memory Throughput|L2 Hit Rate|L1/TEX Hit|Achieved Occupancy|Theoretical Occupancy|Registers Per|Grid Size|L2 Cache Throughput|DRAM Throughput|Compute \(SM\)|Mem Busy|Max Bandwidth|Issued Warp|No Eligible" $f | head -24 >> $OUT/summary.txt; done
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
