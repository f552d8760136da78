#!/bin/bash
# v10 call B: the pull rows (one packed 8-byte load per synapse, fused multiply-adds): parity, A/B against
# main + lanes (.cache/lanes), ncu of the new kPull with SASS-level counts.
set -u
for v in lanes pr; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
timeout 300 node .gpu/prebuild.mjs > $OUT/prebuild.log 2>&1 &
PB=$!
V1LM_ADDON=$PWD/.cache/pr/v1lm.node SKIP_BENCH=1 bash scripts/gpu-run.sh > $OUT/summary.txt 2>&1
wait $PB
b() { # name addon args...
  local n=$1 a=$2; shift 2
  V1LM_ADDON=$a timeout 120 node dist/bench/run.js W1 W2 --trials 10 "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress.txt
  echo "$n: $(grep -E '^ +(W1|W2|F) ' $OUT/bench-$n.txt | awk '{print $1, $12, $13, $14, $15}' | tr '\n' ';')" >> $OUT/summary.txt
}
b base-bf16 $PWD/.cache/lanes/v1lm.node --adjoint_precision bfloat16
b pr-bf16 $PWD/.cache/pr/v1lm.node --adjoint_precision bfloat16
b base-f32 $PWD/.cache/lanes/v1lm.node
b pr-f32 $PWD/.cache/pr/v1lm.node
b base-bf16-2 $PWD/.cache/lanes/v1lm.node --adjoint_precision bfloat16
b pr-bf16-2 $PWD/.cache/pr/v1lm.node --adjoint_precision bfloat16
NCU=/usr/local/cuda/bin/ncu
V1LM_ADDON=$PWD/.cache/pr/v1lm.node V1LM_CUDA_GRAPHS=0 timeout 120 $NCU --target-processes all -k regex:kPull --launch-skip 250 --launch-count 1 --set full --import-source yes -o $OUT/kpull-pr node dist/bench/run.js W2 --trials 1 --adjoint_precision bfloat16 --out $OUT/json-ncu > $OUT/ncu-run.txt 2>&1
$NCU -i $OUT/kpull-pr.ncu-rep --page details > $OUT/ncu-kpull-pr.txt 2>&1
$NCU -i $OUT/kpull-pr.ncu-rep --page source --csv --print-source sass > $OUT/ncu-kpull-pr-sass.csv 2>&1
grep -E "Duration|L2 Cache Throughput|Achieved Occupancy|Registers Per|Warp Cycles Per Issued|Executed Instructions  |Issued Ipc" $OUT/ncu-kpull-pr.txt | head -12 >> $OUT/summary.txt
wc -l $OUT/ncu-kpull-pr-sass.csv >> $OUT/summary.txt; head -c 600 $OUT/ncu-kpull-pr-sass.csv >> $OUT/summary.txt
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
