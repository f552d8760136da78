#!/bin/bash
# v32 call (prepared in v31, not run): the full column C (batch 6) on main after v31 (its set-aside: one step's
# accumulators, 18.2 MB, the merged rule) and on toggle, alone on the machine. The row v31 owes.
set -u
for v in main toggle; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
timeout 400 node dist/bench/run.js C --build_only > $OUT/prebuild-c.log 2>&1
tail -1 $OUT/prebuild-c.log >> $OUT/summary.txt
for v in main toggle; do
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 100 node dist/bench/run.js C --trials 5 --out $OUT/json-$v-c > $OUT/bench-$v-c.txt 2>>$OUT/progress-$v-c.txt
  echo "$v-c: $(grep -E '^ +C ' $OUT/bench-$v-c.txt | sed 's/NVIDIA H200/H200/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16, $17, $18, $19}')" >> $OUT/summary.txt
done
cat $OUT/summary.txt
