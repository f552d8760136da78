#!/bin/bash
# v33 call c: the download copies on up to 8 threads (dl8, c/dl8-over-main.patch: b/ found W2's forward sync
# followed by 2.9 ms of host copies on 2 threads, a/ F's 5.5 ms on 3): its GPU gate (parity, LGN), then W2 and F
# main and dl8 in the order A B B A; then the full column on main and on dl8 (the row after the huge pages).
set -u
for v in main dl8; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
timeout 200 node dist/bench/run.js W2 --build_only > $OUT/prebuild.log 2>&1 &
PB=$!
timeout 260 node dist/bench/run.js C --build_only > $OUT/prebuild-c.log 2>&1 &
PC=$!
V1LM_ADDON=$PWD/.cache/dl8/v1lm.node timeout 260 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity-dl8.log 2>&1
echo "parity dl8 exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-dl8.log | tr '\n' ' ')" >> $OUT/summary.txt
grep -m5 -E 'AssertionError|Error|not ok' $OUT/parity-dl8.log >> $OUT/summary.txt
V1LM_ADDON=$PWD/.cache/dl8/v1lm.node timeout 60 node --test --test-reporter=spec test/gpu/lgn-cuda.test.mjs > $OUT/lgn-dl8.log 2>&1
echo "lgn-cuda dl8 exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/lgn-dl8.log | tr '\n' ' ')" >> $OUT/summary.txt
wait $PB
tail -1 $OUT/prebuild.log >> $OUT/summary.txt
b() { local n=$1 v=$2; shift 2
  V1LM_CUDA_PROFILE=host V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 100 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2> $OUT/profile-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16, $17}' | tr '\n' ';') copies $(grep 'v1lm cuda forward' $OUT/profile-$n.txt | tail -5 | sed 's/.*copy downloads \([0-9.]*\) ms.*/\1/' | cut -c1-4 | tr '\n' ' ')" >> $OUT/summary.txt
}
b main-w2-1 main W2 --trials 5; b dl8-w2-1 dl8 W2 --trials 5; b dl8-w2-2 dl8 W2 --trials 5; b main-w2-2 main W2 --trials 5
b main-f-1 main F --trials 5; b dl8-f-1 dl8 F --trials 5; b dl8-f-2 dl8 F --trials 5; b main-f-2 main F --trials 5
wait $PC
tail -1 $OUT/prebuild-c.log >> $OUT/summary.txt
b main-c main C --trials 5; b dl8-c dl8 C --trials 5
cat $OUT/summary.txt
