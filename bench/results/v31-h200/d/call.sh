#!/bin/bash
# v31 call D (nvidia-h200): prio = prio (call C) + kPush(delay 1) and kNeuron launched at the highest stream priority
# (d/prio-over-prio.patch; graphs instantiated with cudaGraphInstantiateFlagUseNodePriority), so that as SMs free up
# their blocks go before those of kPushLater on the second stream. Parity and the LGN test of prio; F and W2 ×2
# interleaved prio / prio.
set -u
for v in split prio; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version,clocks.max.sm,clocks.max.mem --format=csv > $OUT/machine.txt 2>&1
timeout 200 node dist/bench/run.js W2 --build_only > $OUT/prebuild.log 2>&1 &
PB=$!
V1LM_ADDON=$PWD/.cache/prio/v1lm.node timeout 240 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity-prio.log 2>&1
echo "parity prio exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-prio.log | tr '\n' ' ')" >> $OUT/summary.txt
grep -m5 -E 'AssertionError|Error|not ok' $OUT/parity-prio.log >> $OUT/summary.txt
V1LM_ADDON=$PWD/.cache/prio/v1lm.node timeout 60 node --test --test-reporter=spec test/gpu/lgn-cuda.test.mjs > $OUT/lgn-prio.log 2>&1
echo "lgn-cuda prio exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/lgn-prio.log | tr '\n' ' ')" >> $OUT/summary.txt
wait $PB
tail -1 $OUT/prebuild.log >> $OUT/summary.txt
b() { local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 100 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16, $17}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2; do for v in split prio; do b $v-f-$r $v F --trials 5; done; done
for r in 1 2; do for v in split prio; do b $v-w2-$r $v W2 --trials 5; done; done
