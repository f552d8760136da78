#!/bin/bash
# v31 call E (nvidia-h200): the full column C (batch 6) on split (call C's build, the one merged), alone on the machine.
set -u
xz -dc .cache/split/v1lm.node.xz > .cache/split/v1lm.node
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
timeout 400 node dist/bench/run.js C --build_only > $OUT/prebuild-c.log 2>&1
tail -1 $OUT/prebuild-c.log >> $OUT/summary.txt
V1LM_ADDON=$PWD/.cache/split/v1lm.node timeout 150 node dist/bench/run.js C --trials 5 --out $OUT/json-split-c > $OUT/bench-split-c.txt 2>>$OUT/progress-split-c.txt
echo "split-c: $(grep -E '^ +C ' $OUT/bench-split-c.txt | sed 's/NVIDIA H200/H200/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16, $17, $18, $19}')" >> $OUT/summary.txt
cat $OUT/summary.txt
