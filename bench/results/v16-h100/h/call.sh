#!/bin/bash
# v16 call H (H100): main after v16 as one build (mainfinal: dI rows padded to 4 steps + half-warp pull chunks
# of 64): parity, the LGN GPU test, W1 / W2 / F, W2 bfloat16.
set -u
V=mainfinal; xz -dc .cache/$V/v1lm.node.xz > .cache/$V/v1lm.node
export V1LM_ADDON=$PWD/.cache/$V/v1lm.node
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
timeout 300 node .gpu/prebuild.mjs > $OUT/prebuild.log 2>&1 &
PB=$!
timeout 150 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity.log 2>&1
echo "parity exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity.log | tr '\n' ' ')" >> $OUT/summary.txt
timeout 60 node --test --test-reporter=spec test/gpu/lgn-cuda.test.mjs > $OUT/lgn-cuda.log 2>&1
echo "lgn-cuda exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/lgn-cuda.log | tr '\n' ' ')" >> $OUT/summary.txt
wait $PB
b() { # name args...
  local n=$1; shift
  timeout 150 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/; s/NVIDIA H100 80GB HBM3/H100/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
}
b $V W1 W2 F --trials 10
b $V-bf16 W2 --trials 10 --adjoint_precision bfloat16
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
