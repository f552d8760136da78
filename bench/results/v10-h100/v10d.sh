#!/bin/bash
# v10 call D: pr3 = pull rows (pipelined pieces) + kPush with 4 rows per warp; parity, A/B against main + lanes.
set -u
for v in lanes pr2 pr3; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
timeout 300 node .gpu/prebuild.mjs > $OUT/prebuild.log 2>&1 &
PB=$!
V1LM_ADDON=$PWD/.cache/pr3/v1lm.node SKIP_BENCH=1 bash scripts/gpu-run.sh > $OUT/summary.txt 2>&1
wait $PB
b() { # name addon workloads args...
  local n=$1 a=$2; shift 2
  V1LM_ADDON=$a timeout 150 node dist/bench/run.js "$@" --trials 10 --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress.txt
  echo "$n: $(grep -E '^ +(W1|W2|F) ' $OUT/bench-$n.txt | awk '{print $1, $12, $13, $14, $15}' | tr '\n' ';')" >> $OUT/summary.txt
}
b base $PWD/.cache/lanes/v1lm.node W1 W2 F --adjoint_precision bfloat16
b pr2 $PWD/.cache/pr2/v1lm.node W1 W2 F --adjoint_precision bfloat16
b pr3 $PWD/.cache/pr3/v1lm.node W1 W2 F --adjoint_precision bfloat16
b base-2 $PWD/.cache/lanes/v1lm.node W1 W2 F --adjoint_precision bfloat16
b pr3-2 $PWD/.cache/pr3/v1lm.node W1 W2 F --adjoint_precision bfloat16
b pr3-f32 $PWD/.cache/pr3/v1lm.node W1 W2
V1LM_ADDON=$PWD/.cache/pr3/v1lm.node V1LM_CUDA_PROFILE=1 timeout 60 node dist/bench/run.js W2 F --trials 1 --adjoint_precision bfloat16 --out $OUT/json-prof > $OUT/prof-out.txt 2> $OUT/prof-err.txt
grep "v1lm cuda" $OUT/prof-err.txt | tail -4 | cut -c1-200 >> $OUT/summary.txt
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
