#!/bin/bash
# v13 call B+C: kNeuron<*,3> at 4 blocks per SM (kn3, branch exp-kneuron-r3) and the review-v12 host mends
# (review) against main 176b329 (base): parity of both, the LGN GPU test of review, W1 / W2 / F of each,
# kn3 twice.
set -u
for v in base kn3 review; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
timeout 300 node .gpu/prebuild.mjs > $OUT/prebuild.log 2>&1 &
PB=$!
for v in kn3 review; do
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 200 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity-$v.log 2>&1
  echo "parity $v exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-$v.log | tr '\n' ' ')" >> $OUT/summary.txt
done
V1LM_ADDON=$PWD/.cache/review/v1lm.node timeout 120 node --test --test-reporter=spec test/gpu/lgn-cuda.test.mjs > $OUT/lgn-cuda-review.log 2>&1
echo "lgn-cuda review exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/lgn-cuda-review.log | tr '\n' ' ')" >> $OUT/summary.txt
wait $PB
b() { # name addon args...
  local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 200 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/; s/NVIDIA H100 80GB HBM3/H100/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
}
b base-1 base W1 W2 F --trials 10; b kn3-1 kn3 W1 W2 F --trials 10; b review-1 review W1 W2 F --trials 10; b kn3-2 kn3 W1 W2 F --trials 10
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
