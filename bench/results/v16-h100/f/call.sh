#!/bin/bash
# v16 call F: the half-warp pull (B ≤ 2) with rows cut into items of 128 (pchunk128, branch exp-pull-chunks) or
# 64 synapses (pchunk64, branch exp-pull-chunks64), against main after v16 (mainv16). Parity and the LGN GPU
# test of both; W1 three rounds alternating, then their device phases; W2 of pchunk128 (B = 6: whole rows).
set -u
for v in mainv16 pchunk128 pchunk64; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
timeout 300 node .gpu/prebuild.mjs > $OUT/prebuild.log 2>&1 &
PB=$!
for v in pchunk128 pchunk64; do
  export V1LM_ADDON=$PWD/.cache/$v/v1lm.node
  timeout 150 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity-$v.log 2>&1
  echo "parity $v exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-$v.log | tr '\n' ' ')" >> $OUT/summary.txt
  timeout 60 node --test --test-reporter=spec test/gpu/lgn-cuda.test.mjs > $OUT/lgn-cuda-$v.log 2>&1
  echo "lgn-cuda $v exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/lgn-cuda-$v.log | tr '\n' ' ')" >> $OUT/summary.txt
done
unset V1LM_ADDON
wait $PB
b() { # name addon args...
  local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 150 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/; s/NVIDIA H100 80GB HBM3/H100/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2 3; do for v in mainv16 pchunk128 pchunk64; do b $v-w1-$r $v W1 --trials 10; done; done
for v in mainv16 pchunk128 pchunk64; do V1LM_CUDA_PROFILE=1 b $v-prof $v W1 --trials 5; done
b pchunk128-w2 pchunk128 W2 --trials 10
for v in mainv16 pchunk128 pchunk64; do echo "$v: $(grep -h 'cuda backward' $OUT/progress-$v-prof.txt | tail -5 | sed 's/.*pull+inputGrad \([0-9.]*\).*/\1/' | tr '\n' ' ')" >> $OUT/summary.txt; done
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
