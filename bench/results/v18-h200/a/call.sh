#!/bin/bash
# v18 H200 call A (asked as `nvidia-h200`; machine.txt names the card it ran on): main d56512b (addon pg3).
# v18 H200 call A: main after v18 (pg3 = main 7ba901a: the tiled kNeuronAdj, the pieces' weight gradients in their
# own walk, 3 in flight in the float gradient rows) on the H200: parity, the LGN GPU test, W1 ×2, W2 ×2, W2
# bfloat16, F, C. The full column's network is built first, beside the parity runs only.
set -u
xz -dc .cache/pg3/v1lm.node.xz > .cache/pg3/v1lm.node
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
timeout 420 node .gpu/prebuild-c.mjs > $OUT/prebuild-c.log 2>&1 &
PC=$!
timeout 300 node .gpu/prebuild.mjs > $OUT/prebuild.log 2>&1 &
PB=$!
export V1LM_ADDON=$PWD/.cache/pg3/v1lm.node
timeout 150 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity-pg3.log 2>&1
echo "parity pg3 exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-pg3.log | tr '\n' ' ')" >> $OUT/summary.txt
timeout 60 node --test --test-reporter=spec test/gpu/lgn-cuda.test.mjs > $OUT/lgn-cuda-pg3.log 2>&1
echo "lgn-cuda pg3 exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/lgn-cuda-pg3.log | tr '\n' ' ')" >> $OUT/summary.txt
unset V1LM_ADDON
wait $PB; wait $PC
b() { # name addon args...
  local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 150 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/; s/NVIDIA H100 80GB HBM3/H100/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2; do b pg3-w1-$r pg3 W1 --trials 10; done
for r in 1 2; do b pg3-$r pg3 W2 --trials 10; done
b pg3-bf16 pg3 W2 --trials 10 --adjoint_precision bfloat16
b pg3-F pg3 F --trials 10
b pg3-C pg3 C --trials 5
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
