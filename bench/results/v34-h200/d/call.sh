#!/bin/bash
# v34 call d: main's build (`fix` of c/, main ba615dc) under load: three full parity runs side by side, then the
# inputs-ahead case alone in 6 rounds of two runs side by side (main before the mend failed 4 of 8 such runs in c/).
set -u
xz -dc .cache/fix/v1lm.node.xz > .cache/fix/v1lm.node
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader > $OUT/machine.txt
export V1LM_ADDON=$PWD/.cache/fix/v1lm.node
runs() {  # runs TAG N PATTERN: N runs side by side
  local tag=$1 n=$2 pat=$3 PP=""
  for k in $(seq 1 $n); do
    ( timeout 400 node --test --test-reporter=spec ${pat:+--test-name-pattern "$pat"} test/gpu/parity.mjs > $OUT/parity-$tag-$k.log 2>&1; echo $? > $OUT/parity-$tag-$k.rc ) &
    PP="$PP $!"
  done
  wait $PP
  for k in $(seq 1 $n); do
    echo "parity $tag-$k exit $(cat $OUT/parity-$tag-$k.rc): $(grep -E '^ℹ (pass|fail)' $OUT/parity-$tag-$k.log | tr '\n' ' ')" >> $OUT/summary.txt
    grep -m2 -E 'AssertionError' $OUT/parity-$tag-$k.log >> $OUT/summary.txt
  done
}
runs full 3 ""
for r in 1 2 3 4 5 6; do runs ahead$r 2 "summed ahead"; done
grep -h 'first flip' $OUT/parity-*.log | sort | uniq -c >> $OUT/summary.txt
cat $OUT/summary.txt
