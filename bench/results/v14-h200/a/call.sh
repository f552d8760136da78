#!/bin/bash
# v14 call A (prepared in the ninth session, not yet run): dense dI rows for fast-mode batches of 3–8 (dense,
# branch exp-dense-rows: W2's row of B 6 × G 3 adjoints in 5 float4 pieces, 80 B, instead of 6, 96 B) against
# main fe4d147 (main13c), and half-warp rows longest first (hwsorted, branch exp-halfwarp-sorted, W1 only):
# parity of dense (12 cases: + batch 5 and batch 10) and hwsorted, W1 / W2 twice alternating, W2 with
# bfloat16 adjoints once each (≈ 420 s with the network builds of a fresh machine; C's build adds 200 s: run
# it in a second call with prebuild-all.mjs).
set -u  # parity: .gpu/test-gpu/parity-dense.mjs is exp-dense-rows:test/gpu/parity.mjs (its batch 5 and 10 cases)
for v in main13c dense hwsorted; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
timeout 300 node .gpu/prebuild.mjs > $OUT/prebuild.log 2>&1 &
PB=$!
for v in dense hwsorted; do
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 240 node --test --test-reporter=spec .gpu/test-gpu/parity-dense.mjs > $OUT/parity-$v.log 2>&1
  echo "parity $v exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-$v.log | tr '\n' ' ')" >> $OUT/summary.txt
done
wait $PB
b() { # name addon args...
  local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 200 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/; s/NVIDIA H100 80GB HBM3/H100/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2; do for v in main13c dense; do b $v-$r $v W1 W2 --trials 10; done; b hwsorted-$r hwsorted W1 --trials 10; done
for v in main13c dense; do b $v-bf16 $v W2 --trials 10 --adjoint_precision bfloat16; done
V1LM_CUDA_PROFILE=1 b main13c-prof main13c W1 --trials 3  # W1's device phases against its wall time (progress.txt)
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
