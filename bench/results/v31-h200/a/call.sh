#!/bin/bash
# v31 call A (nvidia-h200): ptab = main (cf40071) + kPush's entry table built by warp 0's lanes in parallel
# (bench/results/v30-h200/e/ptab-over-scr.patch; thread 0 walked every block's parameters one after another).
# rowpattern2 (v30 e/rowpattern2.cu, built here, carried in .cache): the walk / prologue / burst / stream variants.
# Parity and the LGN test of ptab; F ×2 and W2 ×2 interleaved main / ptab.
set -u
for v in main ptab; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version,clocks.max.sm,clocks.max.mem --format=csv > $OUT/machine.txt 2>&1
timeout 100 ./.cache/rowpattern2 > $OUT/rowpattern2.txt 2>&1
echo "rowpattern2 exit $?" >> $OUT/summary.txt
timeout 200 node dist/bench/run.js W2 --build_only > $OUT/prebuild.log 2>&1 &
PB=$!
V1LM_ADDON=$PWD/.cache/ptab/v1lm.node timeout 170 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity-ptab.log 2>&1
echo "parity ptab exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-ptab.log | tr '\n' ' ')" >> $OUT/summary.txt
grep -m5 -E 'AssertionError|Error|not ok' $OUT/parity-ptab.log >> $OUT/summary.txt
V1LM_ADDON=$PWD/.cache/ptab/v1lm.node timeout 60 node --test --test-reporter=spec test/gpu/lgn-cuda.test.mjs > $OUT/lgn-ptab.log 2>&1
echo "lgn-cuda ptab exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/lgn-ptab.log | tr '\n' ' ')" >> $OUT/summary.txt
wait $PB
tail -1 $OUT/prebuild.log >> $OUT/summary.txt
b() { local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 100 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16, $17}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2; do for v in main ptab; do b $v-f-$r $v F --trials 5; done; done
for r in 1 2; do for v in main ptab; do b $v-w2-$r $v W2 --trials 5; done; done
cat $OUT/rowpattern2.txt $OUT/summary.txt
