#!/bin/bash
# v34 call e: `early` (e/early-over-main.patch, on main 35a8745 = c/'s fix): the given BKG counts and kBkgWeights
# queued first in the forward's setup and the sums' stream waiting for them (and the trial number) alone, so that
# the first sums run beside the rest of the setup (c/: the mend took W1's forward 2.9 → 3.0 ms). Two full parity
# runs side by side, the inputs-ahead case alone in 4 rounds of two runs side by side, LGN; W1 fix / early A B B A.
set -u
for v in fix early; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader > $OUT/machine.txt
timeout 100 node dist/bench/run.js W1 --build_only > $OUT/prebuild.log 2>&1 &
PB=$!
runs() {  # runs TAG N PATTERN: N runs of early side by side
  local tag=$1 n=$2 pat=$3 PP=""
  for k in $(seq 1 $n); do
    ( V1LM_ADDON=$PWD/.cache/early/v1lm.node timeout 300 node --test --test-reporter=spec ${pat:+--test-name-pattern "$pat"} test/gpu/parity.mjs > $OUT/parity-$tag-$k.log 2>&1; echo $? > $OUT/parity-$tag-$k.rc ) &
    PP="$PP $!"
  done
  wait $PP
  for k in $(seq 1 $n); do
    echo "parity early $tag-$k exit $(cat $OUT/parity-$tag-$k.rc): $(grep -E '^ℹ (pass|fail)' $OUT/parity-$tag-$k.log | tr '\n' ' ')" >> $OUT/summary.txt
    grep -m2 -E 'AssertionError' $OUT/parity-$tag-$k.log >> $OUT/summary.txt
  done
}
runs full 2 ""
for r in 1 2 3 4; do runs ahead$r 2 "summed ahead"; done
V1LM_ADDON=$PWD/.cache/early/v1lm.node timeout 60 node --test --test-reporter=spec test/gpu/lgn-cuda.test.mjs > $OUT/lgn-early.log 2>&1
echo "lgn-cuda early exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/lgn-early.log | tr '\n' ' ')" >> $OUT/summary.txt
wait $PB
b() { local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 100 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2> $OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16, $17}' | tr '\n' ';')" >> $OUT/summary.txt
}
b fix-w1-1 fix W1 --trials 10; b early-w1-1 early W1 --trials 10; b early-w1-2 early W1 --trials 10; b fix-w1-2 fix W1 --trials 10
b fix-w1-3 fix W1 --trials 10; b early-w1-3 early W1 --trials 10
cat $OUT/summary.txt
