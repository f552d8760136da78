#!/bin/bash
# v30 call C (nvidia-h200): late = main (50e832d) + programmatic dependent launches for kPush / kNeuron<…, InputsInStep>
# of every batch, as pdl3 (call b), but for batches ≥ 3 neither kernel releases the next: it is released as its blocks
# end, so that kNeuron's blocks load their state during the push's last atomics without taking the push's place.
# Parity and the LGN test of late; W2 ×2 and F ×2 interleaved main / late.
set -u
for v in main late; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version,clocks.max.sm,clocks.max.mem --format=csv > $OUT/machine.txt 2>&1
timeout 200 node dist/bench/run.js W2 --build_only > $OUT/prebuild.log 2>&1 &
PB=$!
V1LM_ADDON=$PWD/.cache/late/v1lm.node timeout 170 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity-late.log 2>&1
echo "parity late exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-late.log | tr '\n' ' ')" >> $OUT/summary.txt
grep -m5 -E 'AssertionError|Error|not ok' $OUT/parity-late.log >> $OUT/summary.txt
V1LM_ADDON=$PWD/.cache/late/v1lm.node timeout 60 node --test --test-reporter=spec test/gpu/lgn-cuda.test.mjs > $OUT/lgn-late.log 2>&1
echo "lgn-cuda late exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/lgn-late.log | tr '\n' ' ')" >> $OUT/summary.txt
wait $PB
tail -1 $OUT/prebuild.log >> $OUT/summary.txt
b() { local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 100 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16, $17}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2; do for v in main late; do b $v-w2-$r $v W2 --trials 5; done; done
for r in 1 2; do for v in main late; do b $v-f-$r $v F --trials 5; done; done
cat $OUT/summary.txt
