#!/bin/bash
# v34 call b: `skip2` (b/skip2-over-main.patch: a/'s stepskip for the pieces' pull of batches ≥ 3 only; the lane-group
# rows of batches 1–2 as on main) and `l1` (b/l1-over-main.patch: skip2 + the pull kernel's preferred carveout set
# to the largest L1): parity of both (with b/flip-distance.patch: a flip before the case's bound passes only where
# the flipping neurons lie within 1e-5 of the threshold in both runs) and LGN; W2 main / skip2 / l1 in the order
# A B C C B A, W1 the same; then the full column on main and skip2.
set -u
for v in main skip2 l1; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader > $OUT/machine.txt
timeout 200 node dist/bench/run.js W1 W2 --build_only > $OUT/prebuild.log 2>&1 &
PB=$!
timeout 300 node dist/bench/run.js C --build_only > $OUT/prebuild-c.log 2>&1 &
PC=$!
PP=""
for v in skip2 l1; do
  ( V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 300 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity-$v.log 2>&1; echo $? > $OUT/parity-$v.rc ) &
  PP="$PP $!"
done
wait $PP
for v in skip2 l1; do
  echo "parity $v exit $(cat $OUT/parity-$v.rc): $(grep -E '^ℹ (pass|fail)' $OUT/parity-$v.log | tr '\n' ' ')" >> $OUT/summary.txt
  grep -m5 -E 'AssertionError|Error|not ok|first flip' $OUT/parity-$v.log >> $OUT/summary.txt
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 60 node --test --test-reporter=spec test/gpu/lgn-cuda.test.mjs > $OUT/lgn-$v.log 2>&1
  echo "lgn-cuda $v exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/lgn-$v.log | tr '\n' ' ')" >> $OUT/summary.txt
done
wait $PB
tail -1 $OUT/prebuild.log >> $OUT/summary.txt
b() { local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 100 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2> $OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16, $17}' | tr '\n' ';')" >> $OUT/summary.txt
}
b main-w2-1 main W2 --trials 5; b skip2-w2-1 skip2 W2 --trials 5; b l1-w2-1 l1 W2 --trials 5
b l1-w2-2 l1 W2 --trials 5; b skip2-w2-2 skip2 W2 --trials 5; b main-w2-2 main W2 --trials 5
b main-w1-1 main W1 --trials 10; b skip2-w1-1 skip2 W1 --trials 10; b l1-w1-1 l1 W1 --trials 10
b l1-w1-2 l1 W1 --trials 10; b skip2-w1-2 skip2 W1 --trials 10; b main-w1-2 main W1 --trials 10
wait $PC
tail -1 $OUT/prebuild-c.log >> $OUT/summary.txt
b main-c main C --trials 5; b skip2-c skip2 C --trials 5
cat $OUT/summary.txt
