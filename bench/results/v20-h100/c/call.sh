#!/bin/bash
# v20 call C (H100): per-phase cycles inside the cluster forward (diagnostic builds cd1 = cl1 + stamps, cd3 = cl3 + stamps).
set -u
for v in cd1 cd3; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version,clocks.sm --format=csv > $OUT/machine.txt 2>&1
timeout 200 node .gpu/prebuild-w1.mjs > $OUT/prebuild.log 2>&1
for v in cd1 cd3; do
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 120 node dist/bench/run.js W1 --trials 3 --out $OUT/json-$v > $OUT/bench-$v.txt 2>$OUT/progress-$v.txt
  echo "$v: $(grep -E '^ +W1 ' $OUT/bench-$v.txt | awk '{print $1, $9, $10, $11, $12}')" >> $OUT/summary.txt
  grep "cluster diag" $OUT/progress-$v.txt | tail -2 >> $OUT/summary.txt
done
cat $OUT/summary.txt; cat $OUT/machine.txt
