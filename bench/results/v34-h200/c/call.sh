#!/bin/bash
# v34 call c: `fix` (c/fix-over-main.patch = b/'s skip2 + the sums ahead wait for what the forward queued on its
# stream before the steps + b/'s flip distance in the parity harness). Calls a and b each saw one parity run of two
# fail in the inputs-ahead case with a voltage error of ≈ 0.4 before any spike differed (main: batch 2 from rest,
# kPush and kNeuron; skip2: batch 1, given BKG counts), i.e. wrong inputs, not a rounding flip. Here: the full
# parity of fix and main side by side, the LGN test of fix, then the inputs-ahead case alone in 6 rounds of main and
# fix side by side; W1 main / fix A B B A; W2 and F of fix.
set -u
for v in main fix; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader > $OUT/machine.txt
timeout 200 node dist/bench/run.js W1 W2 --build_only > $OUT/prebuild.log 2>&1 &
PB=$!
par() {  # par TAG PATTERN: main and fix side by side
  local tag=$1 pat=$2 PP=""
  for v in main fix; do
    ( V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 300 node --test --test-reporter=spec ${pat:+--test-name-pattern "$pat"} test/gpu/parity.mjs > $OUT/parity-$tag-$v.log 2>&1; echo $? > $OUT/parity-$tag-$v.rc ) &
    PP="$PP $!"
  done
  wait $PP
  for v in main fix; do
    echo "parity $tag $v exit $(cat $OUT/parity-$tag-$v.rc): $(grep -E '^ℹ (pass|fail)' $OUT/parity-$tag-$v.log | tr '\n' ' ')" >> $OUT/summary.txt
    grep -m2 -E 'AssertionError' $OUT/parity-$tag-$v.log >> $OUT/summary.txt
  done
}
par full ""
V1LM_ADDON=$PWD/.cache/fix/v1lm.node timeout 60 node --test --test-reporter=spec test/gpu/lgn-cuda.test.mjs > $OUT/lgn-fix.log 2>&1
echo "lgn-cuda fix exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/lgn-fix.log | tr '\n' ' ')" >> $OUT/summary.txt
for r in 1 2 3 4 5 6; do par ahead$r "summed ahead"; done
wait $PB
tail -1 $OUT/prebuild.log >> $OUT/summary.txt
b() { local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 100 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2> $OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16, $17}' | tr '\n' ';')" >> $OUT/summary.txt
}
b main-w1-1 main W1 --trials 10; b fix-w1-1 fix W1 --trials 10; b fix-w1-2 fix W1 --trials 10; b main-w1-2 main W1 --trials 10
b fix-w2 fix W2 --trials 10; b fix-f fix F --trials 10
cat $OUT/summary.txt
