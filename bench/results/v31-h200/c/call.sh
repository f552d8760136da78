#!/bin/bash
# v31 call C (nvidia-h200): split = main (cf40071) + kPush of batches ≥ 3 split in two (c/split-over-main.patch): the rows of
# delays ≥ 2 and the LGN rows of step t on a second stream beside kNeuron(t − 1), into the other of two input
# accumulators; the rows of delay 1 and the BKG counts after it. Parity (with the two three-slot cases) and the LGN
# test of split; F and W2 ×2 interleaved main / split.
set -u
for v in main split; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version,clocks.max.sm,clocks.max.mem --format=csv > $OUT/machine.txt 2>&1
timeout 200 node dist/bench/run.js W2 --build_only > $OUT/prebuild.log 2>&1 &
PB=$!
V1LM_ADDON=$PWD/.cache/split/v1lm.node timeout 240 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity-split.log 2>&1
echo "parity split exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-split.log | tr '\n' ' ')" >> $OUT/summary.txt
grep -m5 -E 'AssertionError|Error|not ok' $OUT/parity-split.log >> $OUT/summary.txt
V1LM_ADDON=$PWD/.cache/split/v1lm.node timeout 60 node --test --test-reporter=spec test/gpu/lgn-cuda.test.mjs > $OUT/lgn-split.log 2>&1
echo "lgn-cuda split exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/lgn-split.log | tr '\n' ' ')" >> $OUT/summary.txt
wait $PB
tail -1 $OUT/prebuild.log >> $OUT/summary.txt
b() { local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 100 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16, $17}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2; do for v in main split; do b $v-f-$r $v F --trials 5; done; done
for r in 1 2; do for v in main split; do b $v-w2-$r $v W2 --trials 5; done; done
