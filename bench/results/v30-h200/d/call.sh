#!/bin/bash
# v30 call D (nvidia-h200): scr = main (50e832d) + kPush<1> (batches ≥ 3) taking its spike items in a scrambled order
# (the item a warp takes k-th is k · 1000003 mod total), so that the rows pushed at once come from every block, delay and
# population instead of neighbouring neurons of one list, whose targets overlap (call a: the recurrent push of F at
# ≈ 54 G atomics/s against the 86.8 G/s of scattered REDs into an L2-resident target).
# Parity and the LGN test of scr; F ×2 and W2 interleaved main / scr.
set -u
for v in main scr; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version,clocks.max.sm,clocks.max.mem --format=csv > $OUT/machine.txt 2>&1
timeout 200 node dist/bench/run.js W2 --build_only > $OUT/prebuild.log 2>&1 &
PB=$!
V1LM_ADDON=$PWD/.cache/scr/v1lm.node timeout 170 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity-scr.log 2>&1
echo "parity scr exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-scr.log | tr '\n' ' ')" >> $OUT/summary.txt
grep -m5 -E 'AssertionError|Error|not ok' $OUT/parity-scr.log >> $OUT/summary.txt
V1LM_ADDON=$PWD/.cache/scr/v1lm.node timeout 60 node --test --test-reporter=spec test/gpu/lgn-cuda.test.mjs > $OUT/lgn-scr.log 2>&1
echo "lgn-cuda scr exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/lgn-scr.log | tr '\n' ' ')" >> $OUT/summary.txt
wait $PB
tail -1 $OUT/prebuild.log >> $OUT/summary.txt
b() { local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 100 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16, $17}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2; do for v in main scr; do b $v-f-$r $v F --trials 5; done; done
for v in main scr; do b $v-w2 $v W2 --trials 5; done
cat $OUT/summary.txt
