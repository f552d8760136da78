#!/bin/bash
# v15 call E: main 55d2600 (pushb: kPush chosen by batch, GPU-gated in v15d) against pf8 (branch exp-push8 on
# exp-pull-prefetch: the pull by pieces prefetches its row's synapses past the first two rounds into L2 at
# the row's start — W2 only; kPush with 8 synapses per lane in flight for B <= 2 — W1 only). Parity and the
# LGN GPU test of pf8, W1 / W2 of both twice alternating, W2 with bfloat16 adjoints once each (≈ 230 s).
set -u
for v in pushb pf8; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
timeout 200 node .gpu/prebuild.mjs > $OUT/prebuild.log 2>&1 &
PB=$!
export V1LM_ADDON=$PWD/.cache/pf8/v1lm.node
timeout 150 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity-pf8.log 2>&1
echo "parity pf8 exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-pf8.log | tr '\n' ' ')" >> $OUT/summary.txt
timeout 60 node --test --test-reporter=spec test/gpu/lgn-cuda.test.mjs > $OUT/lgn-cuda-pf8.log 2>&1
echo "lgn-cuda pf8 exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/lgn-cuda-pf8.log | tr '\n' ' ')" >> $OUT/summary.txt
wait $PB
b() { # name addon args...
  local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 100 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/; s/NVIDIA H100 80GB HBM3/H100/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2; do b main-$r pushb W1 W2 --trials 10; b pf8-$r pf8 W1 W2 --trials 10; done
b main-bf16 pushb W2 --trials 10 --adjoint_precision bfloat16
b pf8-bf16 pf8 W2 --trials 10 --adjoint_precision bfloat16
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
