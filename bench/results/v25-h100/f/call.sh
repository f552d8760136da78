#!/bin/bash
# v25 call F (asked as nvidia-h200): main after v25 (lg2's kernels) — W1 ×3 interleaved with main before (rev),
# W2, F and C (the full column's network built beside the W1 runs).
set -u
for v in rev lg2; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
timeout 420 node .gpu/prebuild-c.mjs > $OUT/prebuild-c.log 2>&1 &
PC=$!
timeout 300 node .gpu/prebuild.mjs > $OUT/prebuild.log 2>&1
b() { # name addon args...
  local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 150 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/; s/NVIDIA H100 80GB HBM3/H100/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2 3; do
  b rev-w1-$r rev W1 --trials 10
  b lg2-w1-$r lg2 W1 --trials 10
done
b lg2-w2 lg2 W2 --trials 10
b lg2-f lg2 F --trials 10
wait $PC
b lg2-c lg2 C --trials 5
cat $OUT/machine.txt $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
