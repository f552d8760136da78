#!/bin/bash
# v31 call B (nvidia-h200): cw = main (cf40071) + the V1 neurons' three slots (psc, rise, input) loaded and stored by the warp
# as three coalesced 128-byte accesses with shuffles (b/cw-over-main.patch); lane by lane each of the three stores
# sent every sector of the warp's span to L2 again. Parity (with two new cases whose V1 has three slots, the path
# of the change) and the LGN test of cw; W1, F and W2 ×2 interleaved.
set -u
for v in main cw; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version,clocks.max.sm,clocks.max.mem --format=csv > $OUT/machine.txt 2>&1
timeout 200 node dist/bench/run.js W2 --build_only > $OUT/prebuild.log 2>&1 &
PB=$!
V1LM_ADDON=$PWD/.cache/cw/v1lm.node timeout 240 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity-cw.log 2>&1
echo "parity cw exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-cw.log | tr '\n' ' ')" >> $OUT/summary.txt
grep -m5 -E 'AssertionError|Error|not ok' $OUT/parity-cw.log >> $OUT/summary.txt
V1LM_ADDON=$PWD/.cache/cw/v1lm.node timeout 60 node --test --test-reporter=spec test/gpu/lgn-cuda.test.mjs > $OUT/lgn-cw.log 2>&1
echo "lgn-cuda cw exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/lgn-cw.log | tr '\n' ' ')" >> $OUT/summary.txt
wait $PB
tail -1 $OUT/prebuild.log >> $OUT/summary.txt
b() { local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 100 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16, $17}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2; do for v in main cw; do b $v-w1-$r $v W1 --trials 10; done; done
for r in 1 2; do for v in main cw; do b $v-f-$r $v F --trials 5; done; done
for r in 1 2; do for v in main cw; do b $v-w2-$r $v W2 --trials 5; done; done
