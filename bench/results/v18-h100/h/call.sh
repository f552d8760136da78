#!/bin/bash
# v18 call H (H100): the parity suite of main (addon pg3 = main d56512b's kernels) with the two new cases of
# batch 12 and batch 40 (test/gpu/parity.mjs).
set -u
xz -dc .cache/pg3/v1lm.node.xz > .cache/pg3/v1lm.node
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
export V1LM_ADDON=$PWD/.cache/pg3/v1lm.node
V1LM_PARITY_JSON=$OUT/parity-pg3.json timeout 400 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity-pg3.log 2>&1
echo "parity pg3 exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-pg3.log | tr '\n' ' ')" >> $OUT/summary.txt
grep -E "^# |✔|✖" $OUT/parity-pg3.log | head -40
cat $OUT/summary.txt
