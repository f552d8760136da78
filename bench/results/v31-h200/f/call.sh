#!/bin/bash
# v31 call F (nvidia-h200; the session's last 276 s of device time): cap = split + the L2 set-aside of one step's input
# accumulators (f/cap-over-split.patch; split set aside both, 2 × 9.4 MB for W2, 2 × 18.2 MB for C, whose backward
# ran 346.5 ms in call E against v29's 237.4). W2 main / cap / split, then F cap. Host code only: no parity run.
set -u
for v in main cap split; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
timeout 150 node dist/bench/run.js W2 --build_only > $OUT/prebuild.log 2>&1
tail -1 $OUT/prebuild.log >> $OUT/summary.txt
b() { local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 60 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16, $17}' | tr '\n' ';')" >> $OUT/summary.txt
}
for v in main cap split; do b $v-w2 $v W2 --trials 5; done
b cap-f cap F --trials 5
cat $OUT/summary.txt
