#!/bin/bash
# v24 call F (H100): d1 (kStep's spike lists carry their delay-1 rows' bounds: one round trip less in the push)
# against the final build (fused1 = main 01c7ff2's kernels): parity, LGN; W1 ×3 and W2 interleaved.
set -u
for v in fused1 d1; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
timeout 300 node .gpu/prebuild.mjs > $OUT/prebuild.log 2>&1 &
PB=$!
export V1LM_ADDON=$PWD/.cache/d1/v1lm.node
timeout 250 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity-d1.log 2>&1
echo "parity d1 exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-d1.log | tr '\n' ' ')" >> $OUT/summary.txt
grep -m5 -E 'AssertionError|Error|not ok' $OUT/parity-d1.log >> $OUT/summary.txt
timeout 100 node --test --test-reporter=spec test/gpu/lgn-cuda.test.mjs > $OUT/lgn-d1.log 2>&1
echo "lgn-cuda d1 exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/lgn-d1.log | tr '\n' ' ')" >> $OUT/summary.txt
unset V1LM_ADDON
wait $PB
b() { # name addon args...
  local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 150 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/; s/NVIDIA H100 80GB HBM3/H100/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2 3; do
  b final-w1-$r fused1 W1 --trials 10
  b d1-w1-$r d1 W1 --trials 10
done
b final-w2 fused1 W2 --trials 10
b d1-w2 d1 W2 --trials 10
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
