#!/bin/bash
# v23 call A (H100): adj1 (exp-adj-ahead: kNeuronAdj of batches 1–2 loads its tapes, constants and adjoint state
# before its wait) against main after v22 (main23 = main with the chunk-bound review fix): parity suite and LGN test of adj1; W1 ×3 and W2
# interleaved; a profile of each (backward device phases).
set -u
for v in main23 adj1; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
timeout 300 node .gpu/prebuild.mjs > $OUT/prebuild.log 2>&1 &
PB=$!
V1LM_ADDON=$PWD/.cache/main23/v1lm.node timeout 200 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity-main23.log 2>&1
echo "parity main23 exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-main23.log | tr '\n' ' ')" >> $OUT/summary.txt
V1LM_ADDON=$PWD/.cache/main23/v1lm.node timeout 100 node --test --test-reporter=spec test/gpu/lgn-cuda.test.mjs > $OUT/lgn-main23.log 2>&1
echo "lgn-cuda main23 exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/lgn-main23.log | tr '\n' ' ')" >> $OUT/summary.txt
V1LM_ADDON=$PWD/.cache/adj1/v1lm.node timeout 200 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity-adj1.log 2>&1
echo "parity adj1 exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-adj1.log | tr '\n' ' ')" >> $OUT/summary.txt
grep -m3 -E 'AssertionError' $OUT/parity-adj1.log >> $OUT/summary.txt
V1LM_ADDON=$PWD/.cache/adj1/v1lm.node timeout 100 node --test --test-reporter=spec test/gpu/lgn-cuda.test.mjs > $OUT/lgn-adj1.log 2>&1
echo "lgn-cuda adj1 exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/lgn-adj1.log | tr '\n' ' ')" >> $OUT/summary.txt
wait $PB
b() { # name addon args...
  local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 150 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/; s/NVIDIA H100 80GB HBM3/H100/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2 3; do
  b main23-w1-$r main23 W1 --trials 10
  b adj1-w1-$r adj1 W1 --trials 10
done
b main23-w2 main23 W2 --trials 10
b adj1-w2 adj1 W2 --trials 10
V1LM_CUDA_PROFILE=1 b prof-main23 main23 W1 --trials 3
V1LM_CUDA_PROFILE=1 b prof-adj1 adj1 W1 --trials 3
for p in main23 adj1; do grep 'v1lm cuda backward' $OUT/progress-prof-$p.txt | tail -1 >> $OUT/summary.txt; done
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
