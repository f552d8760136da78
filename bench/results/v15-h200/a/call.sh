#!/bin/bash
# v15 call A (prepared in the tenth session, not yet run): main 7e23914 as one build (v14land: v14's forward
# kernels + ilp's backward kernels, byte for byte, both GPU-tested in v14) against kPush chosen by batch
# (pushb, branch exp-push-batch: ilp's 4-in-flight kPush for B ≤ 2, main's for larger batches, byte for
# byte; the host's choice is new) and the same with half-warp pull rows at 5 blocks per SM (pushmb5, branch
# exp-halfwarp-mb5: W1 only). Parity and the LGN GPU test of pushmb5 (it holds pushb's host code and new
# kPull kernels), W1 / W2 / F of v14land and pushb and W1 of pushmb5 twice alternating, W2 with bfloat16
# adjoints and C of v14land (≈ 420 s with a fresh machine's builds).
set -u
for v in v14land pushb pushmb5; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
timeout 300 node .gpu/prebuild.mjs > $OUT/prebuild.log 2>&1 &
PB=$!
timeout 400 node .gpu/prebuild-c.mjs > $OUT/prebuild-c.log 2>&1 &
PC=$!
export V1LM_ADDON=$PWD/.cache/pushmb5/v1lm.node
timeout 200 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity-pushmb5.log 2>&1
echo "parity pushmb5 exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-pushmb5.log | tr '\n' ' ')" >> $OUT/summary.txt
timeout 120 node --test --test-reporter=spec test/gpu/lgn-cuda.test.mjs > $OUT/lgn-cuda-pushmb5.log 2>&1
echo "lgn-cuda pushmb5 exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/lgn-cuda-pushmb5.log | tr '\n' ' ')" >> $OUT/summary.txt
wait $PB $PC
b() { # name addon args...
  local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 200 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/; s/NVIDIA H100 80GB HBM3/H100/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2; do b v14land-$r v14land W1 W2 F --trials 10; b pushb-$r pushb W1 W2 F --trials 10; b pushmb5-$r pushmb5 W1 --trials 10; done
b v14land-bf16 v14land W2 --trials 10 --adjoint_precision bfloat16
b v14land-C v14land C --trials 5
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
