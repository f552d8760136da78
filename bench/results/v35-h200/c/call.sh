#!/bin/bash
# v35 call c: a/ and b/ ran 2–3 % slower than v34's rows (W2 167.4 against 164.0–164.6, C 346.7 against 339.6),
# though a32b11e changed no kernel since ba615dc (host-side: an update's field names). Here v34's tested build
# (ba615dc, .cache/fix) and a32b11e's (.cache/head) A B B A on one machine: W1 and W2, 10 trials each.
set -u
for v in fix head; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader > $OUT/machine.txt
b() { local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 150 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2> $OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16, $17}' | tr '\n' ';')" >> $OUT/summary.txt
}
b fix-w2-1 fix W2 --trials 10; b head-w2-1 head W2 --trials 10; b head-w2-2 head W2 --trials 10; b fix-w2-2 fix W2 --trials 10
b fix-w1-1 fix W1 --trials 10; b head-w1-1 head W1 --trials 10; b head-w1-2 head W1 --trials 10; b fix-w1-2 fix W1 --trials 10
cat $OUT/summary.txt
