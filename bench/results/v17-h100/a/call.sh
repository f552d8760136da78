#!/bin/bash
# v17 call A (prepared in the twelfth session, not yet run): the fused forward for batches of 1–2 (`fused`,
# main + fused-forward.patch) against main (`main`). Parity and the LGN GPU test of fused; W1 three rounds
# alternating and their device phases; W2 / F of both (B > 2 runs kPush, whose code generation the patch's
# refactor of the LGN / BKG parts changed; the logic is main's). ≈ 300 s on a warm machine.
set -u
for v in main fused; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
timeout 300 node .gpu/prebuild.mjs > $OUT/prebuild.log 2>&1 &
PB=$!
export V1LM_ADDON=$PWD/.cache/fused/v1lm.node
timeout 150 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity-fused.log 2>&1
echo "parity fused exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-fused.log | tr '\n' ' ')" >> $OUT/summary.txt
timeout 60 node --test --test-reporter=spec test/gpu/lgn-cuda.test.mjs > $OUT/lgn-cuda-fused.log 2>&1
echo "lgn-cuda fused exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/lgn-cuda-fused.log | tr '\n' ' ')" >> $OUT/summary.txt
unset V1LM_ADDON
wait $PB
b() { # name addon args...
  local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 150 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/; s/NVIDIA H100 80GB HBM3/H100/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2 3; do for v in main fused; do b $v-w1-$r $v W1 --trials 10; done; done
for v in main fused; do V1LM_CUDA_PROFILE=1 b $v-prof $v W1 --trials 5; done
for v in main fused; do b $v-w2f $v W2 F --trials 10; done
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
