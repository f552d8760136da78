#!/bin/bash
# v25 call C: rw (lgr + the largest area's pull records in an L2 persisting window during the backward, batches 1-2;
# V1LM_RECORDS_WINDOW=0 turns it off) — W1 ×3 interleaved with lgr; ncu of one W1 pass's kPull with the window.
set -u
for v in lgr rw; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
timeout 200 node .gpu/prebuild-w1.mjs > $OUT/prebuild.log 2>&1
b() { # name addon args...
  local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 60 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/; s/NVIDIA H100 80GB HBM3/H100/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2 3; do
  b lgr-w1-$r lgr W1 --trials 10
  b rw-w1-$r rw W1 --trials 10
  V1LM_RECORDS_WINDOW=0 b rwoff-w1-$r rw W1 --trials 10
done
grep -h "records window" $OUT/progress-rw-w1-1.txt >> $OUT/summary.txt
NCU=$(command -v ncu || ls /usr/local/cuda*/bin/ncu /opt/nvidia/nsight-compute/*/ncu 2>/dev/null | head -1)
n() { # name addon kernel-regex skip
  V1LM_ADDON=$PWD/.cache/$2/v1lm.node V1LM_CUDA_GRAPHS=0 timeout 120 $NCU --target-processes all --cache-control none --clock-control none -k regex:$3 --launch-skip $4 --launch-count 1 --set full node dist/bench/run.js W1 --trials 1 --out $OUT/json-ncu > $OUT/ncu-$1.txt 2>&1
  echo "ncu $1 exit $?: $(grep -E '^ +Duration ' $OUT/ncu-$1.txt | head -1)" >> $OUT/summary.txt
}
n rw-pull rw '^kPull$' 400
n lgr-pull lgr '^kPull$' 400
cat $OUT/summary.txt
for f in $OUT/ncu-*.txt; do echo "== $f"; grep -E "Duration|Elapsed Cycles|SM Active Cycles|DRAM Throughput|L2 Hit Rate|L1/TEX Hit|Achieved Occupancy|L2 Cache Throughput" $f | head -12; done
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
