#!/bin/bash
# v30 call B (nvidia-h200): two candidates, each against main (50e832d) in the same call.
#  list = main + kPull's item lists per pass for batches 1–2 (kPassItemMasks, kPassItemLists: the items that work in
#         each pass, so that the lane-group warps hold no skipped row) — W1.
#  pdl3 = main + programmatic dependent launches for kPush / kNeuron<…, InputsInStep> of every batch (was 1–2 only):
#         kNeuron loads its state before the wait, through L2 — W2, F.
# Parity and the LGN test of both; W1 ×3 interleaved main / list; W2 ×2 and F interleaved main / pdl3.
set -u
for v in main list pdl3; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version,clocks.max.sm,clocks.max.mem --format=csv > $OUT/machine.txt 2>&1
timeout 200 node dist/bench/run.js W1 W2 --build_only > $OUT/prebuild.log 2>&1 &
PB=$!
for v in list pdl3; do
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 170 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity-$v.log 2>&1
  echo "parity $v exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-$v.log | tr '\n' ' ')" >> $OUT/summary.txt
  grep -m5 -E 'AssertionError|Error|not ok' $OUT/parity-$v.log >> $OUT/summary.txt
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 60 node --test --test-reporter=spec test/gpu/lgn-cuda.test.mjs > $OUT/lgn-$v.log 2>&1
  echo "lgn-cuda $v exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/lgn-$v.log | tr '\n' ' ')" >> $OUT/summary.txt
done
wait $PB
tail -2 $OUT/prebuild.log >> $OUT/summary.txt
b() { local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 100 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16, $17}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2 3; do for v in main list; do b $v-w1-$r $v W1 --trials 10; done; done
for r in 1 2; do for v in main pdl3; do b $v-w2-$r $v W2 --trials 5; done; done
for v in main pdl3; do b $v-f $v F --trials 5; done
cat $OUT/summary.txt
