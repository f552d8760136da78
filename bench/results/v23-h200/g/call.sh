#!/bin/bash
# v23 call G (asked as nvidia-h200): main26 (main c73ee83) on the H200 — parity suite, LGN test, W1 ×2 and W2.
set -u
xz -dc .cache/main26/v1lm.node.xz > .cache/main26/v1lm.node
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
timeout 300 node .gpu/prebuild.mjs > $OUT/prebuild.log 2>&1 &
PB=$!
export V1LM_ADDON=$PWD/.cache/main26/v1lm.node
timeout 200 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity-main26.log 2>&1
echo "parity main26 exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-main26.log | tr '\n' ' ')" >> $OUT/summary.txt
timeout 100 node --test --test-reporter=spec test/gpu/lgn-cuda.test.mjs > $OUT/lgn-main26.log 2>&1
echo "lgn-cuda main26 exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/lgn-main26.log | tr '\n' ' ')" >> $OUT/summary.txt
unset V1LM_ADDON
wait $PB
b() { # name args...
  local n=$1; shift
  V1LM_ADDON=$PWD/.cache/main26/v1lm.node timeout 150 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/; s/NVIDIA H100 80GB HBM3/H100/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2; do b w1-$r W1 --trials 10; done
b w2 W2 --trials 10
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
