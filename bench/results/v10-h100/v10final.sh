#!/bin/bash
# v10 final: parity + bench of HEAD (build/Release) and of the 6-blocks-per-SM variant of the pieces kernels
# (.cache/mb6: only kPull<NB ≥ 4> differs), both in one call.
set -u
xz -dc .cache/mb6/v1lm.node.xz > .cache/mb6/v1lm.node
timeout 300 node .gpu/prebuild.mjs > $OUT/prebuild.log 2>&1 &
PB=$!
SKIP_BENCH=1 bash scripts/gpu-run.sh > $OUT/summary.txt 2>&1
mkdir -p $OUT/mb6
V1LM_ADDON=$PWD/.cache/mb6/v1lm.node OUT=$OUT/mb6 SKIP_BENCH=1 bash scripts/gpu-run.sh > $OUT/mb6/summary.txt 2>&1
echo "mb6 parity: $(grep -E '^ℹ (pass|fail)' $OUT/mb6/parity.log | tr '\n' ' ')" >> $OUT/summary.txt
wait $PB
b() { # name addon args...
  local n=$1 a=$2; shift 2
  V1LM_ADDON=$a timeout 150 node dist/bench/run.js "$@" --trials 10 --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress.txt
  echo "$n: $(grep -E '^ +(W1|W2|F) ' $OUT/bench-$n.txt | awk '{print $1, $12, $13, $14, $15, $18}' | tr '\n' ';')" >> $OUT/summary.txt
}
b head-f32 $PWD/build/Release/v1lm.node W1 W2 F
b head-bf16 $PWD/build/Release/v1lm.node W1 W2 --adjoint_precision bfloat16
b mb6-f32 $PWD/.cache/mb6/v1lm.node W2
b mb6-bf16 $PWD/.cache/mb6/v1lm.node W2 --adjoint_precision bfloat16
tail -2 $OUT/prebuild.log >> $OUT/summary.txt
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
