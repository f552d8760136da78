#!/bin/bash
# v10 call C: pull rows v2 (uniform rounds, padding, hoisted pending, constant item starts) A/B
# main + lanes (.cache/lanes), ncu of the new kPull with SASS-level counts.
set -u
for v in lanes pr pr2; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
timeout 300 node .gpu/prebuild.mjs > $OUT/prebuild.log 2>&1 &
PB=$!
V1LM_ADDON=$PWD/.cache/pr2/v1lm.node SKIP_BENCH=1 bash scripts/gpu-run.sh > $OUT/summary.txt 2>&1
wait $PB
b() { # name addon args...
  local n=$1 a=$2; shift 2
  V1LM_ADDON=$a timeout 120 node dist/bench/run.js W1 W2 --trials 10 "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress.txt
  echo "$n: $(grep -E '^ +(W1|W2|F) ' $OUT/bench-$n.txt | awk '{print $1, $12, $13, $14, $15}' | tr '\n' ';')" >> $OUT/summary.txt
}
b base-bf16 $PWD/.cache/lanes/v1lm.node --adjoint_precision bfloat16
b pr-bf16 $PWD/.cache/pr/v1lm.node --adjoint_precision bfloat16
b pr2-bf16 $PWD/.cache/pr2/v1lm.node --adjoint_precision bfloat16
b pr2-f32 $PWD/.cache/pr2/v1lm.node
b base-bf16-2 $PWD/.cache/lanes/v1lm.node --adjoint_precision bfloat16
b pr-bf16-2 $PWD/.cache/pr/v1lm.node --adjoint_precision bfloat16
b pr2-bf16-2 $PWD/.cache/pr2/v1lm.node --adjoint_precision bfloat16
NCU=/usr/local/cuda/bin/ncu
V1LM_ADDON=$PWD/.cache/pr2/v1lm.node V1LM_CUDA_GRAPHS=0 timeout 120 $NCU --target-processes all -k regex:kPull --launch-skip 250 --launch-count 1 --set full --import-source yes -o $OUT/kpull-pr2 node dist/bench/run.js W2 --trials 1 --adjoint_precision bfloat16 --out $OUT/json-ncu > $OUT/ncu-run.txt 2>&1
$NCU -i $OUT/kpull-pr2.ncu-rep --page details > $OUT/ncu-kpull-pr2.txt 2>&1
$NCU -i $OUT/kpull-pr2.ncu-rep --page source --csv --print-source sass > $OUT/ncu-kpull-pr2-sass.csv 2>&1
grep -E "Duration|L2 Cache Throughput|Achieved Occupancy|Registers Per|Warp Cycles Per Issued|Executed Instructions  |Issued Ipc" $OUT/ncu-kpull-pr2.txt | head -12 >> $OUT/summary.txt
wc -l $OUT/ncu-kpull-pr2-sass.csv >> $OUT/summary.txt; head -c 600 $OUT/ncu-kpull-pr2-sass.csv >> $OUT/summary.txt
V1LM_ADDON=$PWD/.cache/pr2/v1lm.node V1LM_CUDA_GRAPHS=0 timeout 150 $NCU --target-processes all -k regex:kPush --launch-skip 1200 --launch-count 1 --set full --import-source yes -o $OUT/kpush-f node dist/bench/run.js F --trials 1 --out $OUT/json-ncu > $OUT/ncu-run-f.txt 2>&1
$NCU -i $OUT/kpush-f.ncu-rep --page source --csv --print-source sass > $OUT/ncu-kpush-f-sass.csv 2>&1
wc -l $OUT/ncu-kpush-f-sass.csv >> $OUT/summary.txt
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
