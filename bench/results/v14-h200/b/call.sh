#!/bin/bash
# v14 call B (prepared in the ninth session, not yet run): ncu of the backward pull (W2 float32, one pass)
# of main (main13c) and the dense dI rows (dense), and of W1's kernels (one step of kPush / kNeuron, one pass of
# kNeuronAdj / kPull), to say where W1's 26 ms and W2's pull go (≈ 300 s with the builds of a fresh machine).
set -u
for v in main13c dense; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
NCU=$(command -v ncu || ls /usr/local/cuda*/bin/ncu /opt/nvidia/nsight-compute/*/ncu 2>/dev/null | head -1)
echo "ncu: $NCU" >> $OUT/summary.txt
timeout 300 node .gpu/prebuild.mjs > $OUT/prebuild.log 2>&1
KEYS="Duration|Elapsed Cycles|L2 Cache Throughput|DRAM Throughput|Achieved Occupancy|Registers Per|Warp Cycles Per Issued|Executed Instructions |L2 Hit Rate|L1/TEX Hit|Issue Slots Busy"
prof() { # name addon kernel-regex skip workload args...
  local n=$1 v=$2 k=$3 s=$4; shift 4
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node V1LM_CUDA_GRAPHS=0 timeout 150 $NCU --target-processes all -k regex:$k --launch-skip $s --launch-count 1 --set full node dist/bench/run.js "$@" --trials 1 --out $OUT/json-ncu > $OUT/ncu-$n.txt 2>&1
  echo "== $n" >> $OUT/summary.txt
  grep -E "$KEYS" $OUT/ncu-$n.txt | head -14 >> $OUT/summary.txt
}
prof kpull-w2-main main13c kPull 250 W2
prof kpull-w2-dense dense kPull 250 W2
prof kpull-w1 main13c kPull 250 W1
prof kneuronadj-w1 main13c kNeuronAdj 250 W1
prof kpush-w1 main13c kPush 750 W1
prof kneuron-w1 main13c kNeuron 750 W1
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
