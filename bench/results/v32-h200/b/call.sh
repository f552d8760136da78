#!/bin/bash
# v32 call b: why main's F ran 350–366 ms in a/ against split's 320 in v31 c/–d/. The L2 properties the set-aside rule
# reads (l2props.cu); the networks of F and C built side by side; F ×2 interleaved main / both (both-over-main.patch: the split push's two accumulators always set
# aside, as v31's split); then the full column C on main (the merged rule's row v31 owes).
set -u
for v in main both; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version,clocks.max.sm,clocks.max.mem --format=csv > $OUT/machine.txt 2>&1
.cache/tools/l2props >> $OUT/summary.txt 2>&1
timeout 200 node dist/bench/run.js F --build_only > $OUT/prebuild.log 2>&1 &
PF=$!
timeout 330 node dist/bench/run.js C --build_only > $OUT/prebuild-c.log 2>&1
wait $PF
tail -qn1 $OUT/prebuild.log $OUT/prebuild-c.log >> $OUT/summary.txt
b() { local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 150 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16, $17}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2; do for v in main both; do b $v-f-$r $v F --trials 5; done; done
b main-c main C --trials 5
cat $OUT/summary.txt
