#!/bin/bash
# v33 call e: the GPU gate of main's final build (50378df: c/'s dl8 + the optimizer's check of blocks listed twice,
# host code), parity and LGN, then W1, W2 and F of it once each (10 trials).
set -u
xz -dc .cache/main/v1lm.node.xz > .cache/main/v1lm.node
export V1LM_ADDON=$PWD/.cache/main/v1lm.node
timeout 200 node dist/bench/run.js W1 W2 --build_only > $OUT/prebuild.log 2>&1 &
PB=$!
timeout 260 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity-main.log 2>&1
echo "parity main exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-main.log | tr '\n' ' ')" >> $OUT/summary.txt
grep -m5 -E 'AssertionError|Error|not ok' $OUT/parity-main.log >> $OUT/summary.txt
timeout 60 node --test --test-reporter=spec test/gpu/lgn-cuda.test.mjs > $OUT/lgn-main.log 2>&1
echo "lgn-cuda main exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/lgn-main.log | tr '\n' ' ')" >> $OUT/summary.txt
wait $PB
tail -2 $OUT/prebuild.log >> $OUT/summary.txt
timeout 200 node dist/bench/run.js W1 W2 F --trials 10 --out $OUT/json-main > $OUT/bench-main.txt 2> $OUT/progress-main.txt
grep -E '^ *workload|^ +(W1|W2|F) ' $OUT/bench-main.txt >> $OUT/summary.txt
cat $OUT/summary.txt
