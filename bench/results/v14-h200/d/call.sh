#!/bin/bash
# v14 call D (tenth session): walks with loads in flight (ilp, branch exp-walk-ilp: kPush's rows 4 synapses
# per lane before their atomics, the weight-gradient walk 4 per lane, BKG gradient chunks held in registers,
# the input-gradient blocks first in kPull's grid) against main 154d4a3 (v14 = step graphs that replay +
# half-warp rows longest first): parity and the LGN GPU test of ilp, W1 / W2 / F twice alternating, device
# phases of W1 / W2 (V1LM_CUDA_PROFILE), W2 with bfloat16 adjoints, C of both (≈ 480 s with a fresh machine's builds).
set -u
for v in v14 ilp; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
timeout 300 node .gpu/prebuild.mjs > $OUT/prebuild.log 2>&1 &
PB=$!
timeout 400 node .gpu/prebuild-c.mjs > $OUT/prebuild-c.log 2>&1 &
PC=$!
export V1LM_ADDON=$PWD/.cache/ilp/v1lm.node
timeout 200 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity-ilp.log 2>&1
echo "parity ilp exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-ilp.log | tr '\n' ' ')" >> $OUT/summary.txt
timeout 120 node --test --test-reporter=spec test/gpu/lgn-cuda.test.mjs > $OUT/lgn-cuda-ilp.log 2>&1
echo "lgn-cuda ilp exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/lgn-cuda-ilp.log | tr '\n' ' ')" >> $OUT/summary.txt
wait $PB $PC
b() { # name addon args...
  local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 200 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/; s/NVIDIA H100 80GB HBM3/H100/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2; do for v in v14 ilp; do b $v-$r $v W1 W2 F --trials 10; done; done
for v in v14 ilp; do V1LM_CUDA_PROFILE=1 b $v-prof $v W1 W2 --trials 3; done
for v in v14 ilp; do b $v-bf16 $v W2 --trials 10 --adjoint_precision bfloat16; done
for v in ilp v14; do b $v-C $v C --trials 5; done
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
