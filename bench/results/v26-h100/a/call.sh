#!/bin/bash
# v26 call A: kernel boundary vs grid barrier microbenchmark; W1 on main (lg3) ×2.
set -u
xz -dc .cache/lg3/v1lm.node.xz > .cache/lg3/v1lm.node
nvidia-smi --query-gpu=name,memory.total,driver_version,clocks.max.sm --format=csv > $OUT/machine.txt 2>&1
timeout 200 node .gpu/prebuild-w1.mjs > $OUT/prebuild.log 2>&1 &
PB=$!
timeout 120 .gpu/mb/boundary > $OUT/boundary.txt 2>&1
wait $PB
b() { local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 90 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/; s/NVIDIA H100 80GB HBM3/H100/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2; do b lg3-w1-$r lg3 W1 --trials 10; done
cat $OUT/machine.txt $OUT/boundary.txt $OUT/summary.txt
