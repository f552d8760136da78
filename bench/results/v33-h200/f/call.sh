#!/bin/bash
# v33 call f: kPull's float pieces kernels (NB ≥ 4: W2, F's none, C) at 4 resident blocks per SM (mb4,
# f/mb4-over-main.patch: 64 registers, 16 B of spills) instead of 5 (48 registers, 44 / 92 B of spill stores / loads):
# v29's ncu of a W2 pass counted 5.1 M local-memory requests (spills) a pass; the bound was set in v8 on a different
# kernel. Parity of mb4 beside the W2 network's build, then W2 main / mb4 in the order A B B A.
set -u
for v in main mb4; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
timeout 200 node dist/bench/run.js W2 --build_only > $OUT/prebuild.log 2>&1 &
PB=$!
V1LM_ADDON=$PWD/.cache/mb4/v1lm.node timeout 200 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity-mb4.log 2>&1
echo "parity mb4 exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-mb4.log | tr '\n' ' ')" >> $OUT/summary.txt
wait $PB
tail -1 $OUT/prebuild.log >> $OUT/summary.txt
b() { local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 60 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2> $OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16, $17}' | tr '\n' ';')" >> $OUT/summary.txt
}
b main-w2-1 main W2 --trials 5; b mb4-w2-1 mb4 W2 --trials 5; b mb4-w2-2 mb4 W2 --trials 5; b main-w2-2 main W2 --trials 5
cat $OUT/summary.txt
