#!/bin/bash
# v22 call A (H100): kSteps (res1: a segment's steps in one launch, grid barriers, neuron state in registers) —
# the inputs-ahead parity case and the LGN GPU test; W1 ×3 interleaved: main (rev), res1, res1 with
# V1LM_RESIDENT_STEPS=0 (res1-k); a profile run of res1 and rev.
set -u
for v in rev res1; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
V1LM_ADDON=$PWD/.cache/res1/v1lm.node timeout 150 node --test --test-reporter=spec --test-name-pattern 'summed ahead' test/gpu/parity.mjs > $OUT/parity-res1.log 2>&1
echo "parity(ahead) res1 exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-res1.log | tr '\n' ' ')" >> $OUT/summary.txt
grep "^# inputs ahead" $OUT/parity-res1.log >> $OUT/summary.txt
grep -m3 -E 'AssertionError|Error' $OUT/parity-res1.log >> $OUT/summary.txt
V1LM_ADDON=$PWD/.cache/res1/v1lm.node timeout 100 node --test --test-reporter=spec test/gpu/lgn-cuda.test.mjs > $OUT/lgn-res1.log 2>&1
echo "lgn-cuda res1 exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/lgn-res1.log | tr '\n' ' ')" >> $OUT/summary.txt
timeout 200 node .gpu/prebuild-w1.mjs > $OUT/prebuild.log 2>&1
b() { # name addon args...
  local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 150 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/; s/NVIDIA H100 80GB HBM3/H100/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2 3; do
  b rev-w1-$r rev W1 --trials 10
  b res1-w1-$r res1 W1 --trials 10
  V1LM_RESIDENT_STEPS=0 b res1k-w1-$r res1 W1 --trials 10
done
V1LM_CUDA_PROFILE=1 b prof-res1 res1 W1 --trials 3
V1LM_CUDA_PROFILE=1 b prof-rev rev W1 --trials 3
for p in res1 rev; do grep 'v1lm cuda forward' $OUT/progress-prof-$p.txt | tail -1 | cut -c1-300 >> $OUT/summary.txt; done
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
