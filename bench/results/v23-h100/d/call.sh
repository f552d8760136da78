#!/bin/bash
# v23 call D (H100): lg (exp-lane-grad: the lane-group pull of batches 1–2 adds the weight gradients of rows whose
# pre spiked in its own walk, into pullGrad, instead of walking those rows again) against main25 (main c35d85e):
# parity suite and LGN test of lg; W1 ×3 interleaved; profiles (backward device phases).
set -u
for v in main25 lg; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
timeout 200 node .gpu/prebuild-w1.mjs > $OUT/prebuild.log 2>&1 &
PB=$!
V1LM_ADDON=$PWD/.cache/lg/v1lm.node timeout 200 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity-lg.log 2>&1
echo "parity lg exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-lg.log | tr '\n' ' ')" >> $OUT/summary.txt
grep -m3 -E 'AssertionError|Error' $OUT/parity-lg.log >> $OUT/summary.txt
V1LM_ADDON=$PWD/.cache/lg/v1lm.node timeout 100 node --test --test-reporter=spec test/gpu/lgn-cuda.test.mjs > $OUT/lgn-lg.log 2>&1
echo "lgn-cuda lg exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/lgn-lg.log | tr '\n' ' ')" >> $OUT/summary.txt
wait $PB
b() { # name addon args...
  local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 150 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/; s/NVIDIA H100 80GB HBM3/H100/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2 3; do
  b main25-w1-$r main25 W1 --trials 10
  b lg-w1-$r lg W1 --trials 10
done
for p in main25 lg; do V1LM_CUDA_PROFILE=1 b prof-$p $p W1 --trials 3; grep 'v1lm cuda backward' $OUT/progress-prof-$p.txt | tail -1 >> $OUT/summary.txt; done
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
