#!/bin/bash
# v32 call c: the GPU gate of main at its final host code (CUDA host side built with -Wall -Wextra, three warnings
# mended: parity and LGN test); then toggle (c/toggle-over-main.patch, v31 g/ on this main) against main in the
# order A B B A for F and W2, since a/ and b/ showed F drifting up within a call (320 → 349 ms on one build),
# with the GPU's clocks, temperature and power logged every second beside them (clocks.csv); W1 of main once.
set -u
for v in main toggle; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version,clocks.max.sm,clocks.max.mem --format=csv > $OUT/machine.txt 2>&1
nvidia-smi --query-gpu=timestamp,clocks.sm,clocks.mem,temperature.gpu,power.draw --format=csv -l 1 > $OUT/clocks.csv 2>&1 &
SMI=$!
nvidia-smi --query-gpu=timestamp,clocks_event_reasons.active --format=csv -l 1 > $OUT/reasons.csv 2>&1 &
SMI2=$!
timeout 200 node dist/bench/run.js W2 --build_only > $OUT/prebuild.log 2>&1 &
PB=$!
V1LM_ADDON=$PWD/.cache/main/v1lm.node timeout 260 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity-main.log 2>&1
echo "parity main exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-main.log | tr '\n' ' ')" >> $OUT/summary.txt
grep -m5 -E 'AssertionError|Error|not ok' $OUT/parity-main.log >> $OUT/summary.txt
V1LM_ADDON=$PWD/.cache/main/v1lm.node timeout 60 node --test --test-reporter=spec test/gpu/lgn-cuda.test.mjs > $OUT/lgn-main.log 2>&1
echo "lgn-cuda main exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/lgn-main.log | tr '\n' ' ')" >> $OUT/summary.txt
wait $PB
tail -1 $OUT/prebuild.log >> $OUT/summary.txt
b() { local n=$1 v=$2; shift 2
  echo "$n start $(date +%T)" >> $OUT/order.txt
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 100 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16, $17}' | tr '\n' ';')" >> $OUT/summary.txt
}
b main-f-1 main F --trials 5; b toggle-f-1 toggle F --trials 5; b toggle-f-2 toggle F --trials 5; b main-f-2 main F --trials 5
b main-w2-1 main W2 --trials 5; b toggle-w2-1 toggle W2 --trials 5; b toggle-w2-2 toggle W2 --trials 5; b main-w2-2 main W2 --trials 5
b main-w1 main W1 --trials 10
kill $SMI $SMI2
cat $OUT/summary.txt
