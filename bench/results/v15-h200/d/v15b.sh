#!/bin/bash
# v15 call B (prepared in the tenth session, not yet run): where the time of the walks-in-flight build goes,
# per SASS instruction (ncu --import-source, stall samples per instruction as CSV): kPull of W1 and W2 (one
# pass) and kPush of W1 (one step) on pushb, plus their summary sections (≈ 250 s with a fresh machine's builds).
set -u
xz -dc .cache/pushb/v1lm.node.xz > .cache/pushb/v1lm.node
export V1LM_ADDON=$PWD/.cache/pushb/v1lm.node V1LM_CUDA_GRAPHS=0
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
NCU=$(command -v ncu || ls /usr/local/cuda*/bin/ncu /opt/nvidia/nsight-compute/*/ncu 2>/dev/null | head -1)
timeout 300 node .gpu/prebuild.mjs > $OUT/prebuild.log 2>&1
KEYS="Duration|Elapsed Cycles|SM Active Cycles|L2 Cache Throughput|Achieved Occupancy|Registers Per|Warp Cycles Per Issued|Executed Instructions |Issue Slots Busy"
prof() { # name kernel-regex skip workload
  timeout 150 $NCU --target-processes all -k regex:$2 --launch-skip $3 --launch-count 1 --set full --import-source yes -o $OUT/$1 node dist/bench/run.js $4 --trials 1 --out $OUT/json-ncu > $OUT/$1.txt 2>&1
  $NCU -i $OUT/$1.ncu-rep > $OUT/$1-details.txt 2>&1
  $NCU -i $OUT/$1.ncu-rep --page source --csv --print-source sass 2>/dev/null | gzip > $OUT/$1-sass.csv.gz
  echo "== $1" >> $OUT/summary.txt; grep -E "$KEYS" $OUT/$1-details.txt | head -10 >> $OUT/summary.txt
}
prof kpull-w1 kPull 250 W1
prof kpull-w2 kPull 250 W2
prof kpush-w1 kPush 750 W1
rm -f $OUT/*.ncu-rep
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
