#!/bin/bash
# v29 call H (nvidia-h200), with the session's last device minutes: dyn = main (5779b26) + kPush<1> (batches ≥ 3)
# dealing its spike items from a counter (each warp takes the next item as it starts a row) instead of a fixed stride:
# ncu (b/) showed W2's push with its SMs holding warps 58 % of the kernel on average. Timing only (no parity: no
# device time left for it): F interleaved main / dyn, and W2's V1/LM rates as a check that no item is lost.
set -u
for v in main dyn; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
b() { local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 100 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16, $17}' | tr '\n' ';')" >> $OUT/summary.txt
}
timeout 150 node dist/bench/run.js W2 --build_only > $OUT/prebuild-w2.log 2>&1
b dyn-f-1 dyn F --trials 5
b main-f-1 main F --trials 5
b dyn-f-2 dyn F --trials 5
b main-f-2 main F --trials 5
cat $OUT/summary.txt
