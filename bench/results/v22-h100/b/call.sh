#!/bin/bash
# v22 call B (H100): nsys timeline of W1 (main's kernels, rev), graph mode, 4 trials: where the forward's wall
# time goes (GPU idle gaps, the LGN staging, the downloads).
set -u
xz -dc .cache/rev/v1lm.node.xz > .cache/rev/v1lm.node
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
NSYS=$(command -v nsys || ls /usr/local/cuda*/bin/nsys /opt/nvidia/nsight-systems/*/bin/nsys /usr/local/cuda*/nsight-systems*/bin/nsys 2>/dev/null | head -1)
echo "nsys: $NSYS" >> $OUT/summary.txt
timeout 200 node .gpu/prebuild-w1.mjs > $OUT/prebuild.log 2>&1
V1LM_ADDON=$PWD/.cache/rev/v1lm.node timeout 150 node dist/bench/run.js W1 --trials 10 > $OUT/bench-plain.txt 2>&1
echo "plain: $(grep -E '^ +W1 ' $OUT/bench-plain.txt | awk '{print $9,$10,$11,$12}')" >> $OUT/summary.txt
V1LM_ADDON=$PWD/.cache/rev/v1lm.node timeout 200 $NSYS profile -o /tmp/w1 --trace=cuda,osrt,nvtx --cuda-graph-trace=node --force-overwrite true node dist/bench/run.js W1 --trials 4 > $OUT/nsys.log 2>&1
echo "nsys exit $?" >> $OUT/summary.txt
grep -E '^ +W1 ' $OUT/nsys.log | awk '{print "under nsys:",$9,$10,$11,$12}' >> $OUT/summary.txt
timeout 200 $NSYS stats --report cuda_gpu_trace --report cuda_api_trace --format csv --output /tmp/w1s /tmp/w1.nsys-rep > $OUT/stats.log 2>&1
ls -la /tmp/w1s* >> $OUT/summary.txt 2>&1
cp /tmp/w1s*.csv $OUT/ 2>/dev/null
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
