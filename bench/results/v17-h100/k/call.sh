#!/bin/bash
# v17 call K (H100): main after v17 (mainv17) alone on the machine — W1 ×3, W2 / F, W2 bfloat16 — without the
# full column's build running beside it (call J built C in parallel with its W1 / W2 / F rows).
set -u
xz -dc .cache/mainv17/v1lm.node.xz > .cache/mainv17/v1lm.node
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
timeout 300 node .gpu/prebuild.mjs > $OUT/prebuild.log 2>&1
b() { # name addon args...
  local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 150 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/; s/NVIDIA H100 80GB HBM3/H100/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2 3; do b mainv17-w1-$r mainv17 W1 --trials 10; done
b mainv17 mainv17 W2 F --trials 10
b mainv17-bf16 mainv17 W2 --trials 10 --adjoint_precision bfloat16
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
