#!/bin/bash
# v32 call a: the GPU gate of main after v31 (parity with the split-push test written in v31, LGN test), then the
# set-aside toggle of v31 g/ (toggle-over-main.patch) against main: F ×2 and W2 ×2, interleaved.
set -u
for v in main toggle; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version,clocks.max.sm,clocks.max.mem --format=csv > $OUT/machine.txt 2>&1
timeout 200 node dist/bench/run.js W2 --build_only > $OUT/prebuild.log 2>&1 &
PB=$!
for v in main; do
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 260 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity-$v.log 2>&1
  echo "parity $v exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-$v.log | tr '\n' ' ')" >> $OUT/summary.txt
  grep -m5 -E 'AssertionError|Error|not ok' $OUT/parity-$v.log >> $OUT/summary.txt
  grep -E 'split push' $OUT/parity-$v.log >> $OUT/summary.txt
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 60 node --test --test-reporter=spec test/gpu/lgn-cuda.test.mjs > $OUT/lgn-$v.log 2>&1
  echo "lgn-cuda $v exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/lgn-$v.log | tr '\n' ' ')" >> $OUT/summary.txt
done
wait $PB
tail -1 $OUT/prebuild.log >> $OUT/summary.txt
b() { local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 100 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16, $17}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2; do for v in main toggle; do b $v-f-$r $v F --trials 5; done; done
for r in 1 2; do for v in main toggle; do b $v-w2-$r $v W2 --trials 5; done; done
cat $OUT/summary.txt
