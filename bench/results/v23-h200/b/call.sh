#!/bin/bash
# v23 call (asked as nvidia-h200): main after v23 a (main24: the chunk-bound review fix and kNeuronAdj loads ahead) on the H200 — parity, the LGN GPU test, then W1 ×2,
# W2 ×2, W2 bfloat16, F, C; the full column's network built beside the parity run (as v19's H200 call).
set -u
xz -dc .cache/main24/v1lm.node.xz > .cache/main24/v1lm.node
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
timeout 420 node .gpu/prebuild-c.mjs > $OUT/prebuild-c.log 2>&1 &
PC=$!
timeout 300 node .gpu/prebuild.mjs > $OUT/prebuild.log 2>&1 &
PB=$!
export V1LM_ADDON=$PWD/.cache/main24/v1lm.node
timeout 280 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity.log 2>&1
echo "parity main24 exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity.log | tr '\n' ' ')" >> $OUT/summary.txt
timeout 60 node --test --test-reporter=spec test/gpu/lgn-cuda.test.mjs > $OUT/lgn-cuda.log 2>&1
echo "lgn-cuda main24 exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/lgn-cuda.log | tr '\n' ' ')" >> $OUT/summary.txt
unset V1LM_ADDON
wait $PB; wait $PC
b() { # name args...
  local n=$1; shift
  V1LM_ADDON=$PWD/.cache/main24/v1lm.node timeout 150 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/; s/NVIDIA H100 80GB HBM3/H100/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2; do b w1-$r W1 --trials 10; done
for r in 1 2; do b w2-$r W2 --trials 10; done
b w2-bf16 W2 --trials 10 --adjoint_precision bfloat16
b f F --trials 10
b c C --trials 5
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
