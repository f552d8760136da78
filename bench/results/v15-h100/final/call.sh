#!/bin/bash
# Final rows of a build (usage: bash .gpu/final.sh NAME, addon in .cache/NAME): parity, the LGN GPU test, W1 / W2 / F, W2 with
# bfloat16 adjoints, and the full column C (5 trials; its network built in the background from the start).
set -u
V=${1:?addon name under .cache}; xz -dc .cache/$V/v1lm.node.xz > .cache/$V/v1lm.node
export V1LM_ADDON=$PWD/.cache/$V/v1lm.node
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
timeout 400 node .gpu/prebuild-all.mjs > $OUT/prebuild.log 2>&1 &
PB=$!
timeout 200 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity.log 2>&1
echo "parity exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity.log | tr '\n' ' ')" >> $OUT/summary.txt
timeout 120 node --test --test-reporter=spec test/gpu/lgn-cuda.test.mjs > $OUT/lgn-cuda.log 2>&1
echo "lgn-cuda exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/lgn-cuda.log | tr '\n' ' ')" >> $OUT/summary.txt
b() { # name args...
  local n=$1; shift
  timeout 200 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/; s/NVIDIA H100 80GB HBM3/H100/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
}
wait $PB
b $V W1 W2 F --trials 10
b $V-bf16 W2 --trials 10 --adjoint_precision bfloat16
b $V-C C --trials 5
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
