#!/bin/bash
# v11 final: main + vreg prefetch + all areas' I in one allocation + the L2 window (build/Release): parity,
# W1 / W2 / F float32, W1 / W2 bfloat16; main (base) F in the same call.
set -u
xz -dc .cache/base/v1lm.node.xz > .cache/base/v1lm.node
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
timeout 200 node .gpu/prebuild.mjs > $OUT/prebuild.log 2>&1 &
PB=$!
PARITY_TIMEOUT=150 SKIP_BENCH=1 bash scripts/gpu-run.sh > $OUT/summary.txt 2>&1
wait $PB
b() { # name addon args...
  local n=$1 v=$2; shift 2
  V1LM_ADDON=$v timeout 100 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | awk '{print $1, $12, $13, $14, $15, $18}' | tr '\n' ';')" >> $OUT/summary.txt
}
b final-f32 $PWD/build/Release/v1lm.node W1 W2 F --trials 10
b base-F $PWD/.cache/base/v1lm.node F --trials 10
b final-bf16 $PWD/build/Release/v1lm.node W1 W2 --trials 10 --adjoint_precision bfloat16
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
