#!/bin/bash
# v15 call D: GPU gate of pushb (exp-push-batch, the winner of v15a/v15c: parity + LGN GPU test of exactly that
# addon), then v15b's per-SASS-instruction profiles of kPull (W1, W2) and kPush (W1) on it.
set -u
xz -dc .cache/pushb/v1lm.node.xz > .cache/pushb/v1lm.node
export V1LM_ADDON=$PWD/.cache/pushb/v1lm.node
timeout 200 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity-pushb.log 2>&1
echo "parity pushb exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-pushb.log | tr '\n' ' ')" >> $OUT/summary.txt
timeout 120 node --test --test-reporter=spec test/gpu/lgn-cuda.test.mjs > $OUT/lgn-cuda-pushb.log 2>&1
echo "lgn-cuda pushb exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/lgn-cuda-pushb.log | tr '\n' ' ')" >> $OUT/summary.txt
bash .gpu/v15b.sh
