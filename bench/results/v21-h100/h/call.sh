#!/bin/bash
# v21 call H (H100): the GPU tests of final main (its CUDA is e65d91b's, built as `land`) with the final test file.
set -u
xz -dc .cache/land/v1lm.node.xz > .cache/land/v1lm.node
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
export V1LM_ADDON=$PWD/.cache/land/v1lm.node
timeout 200 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity-final.log 2>&1
echo "parity final exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-final.log | tr '\n' ' ')" >> $OUT/summary.txt
grep "^# inputs ahead" $OUT/parity-final.log >> $OUT/summary.txt
timeout 100 node --test --test-reporter=spec test/gpu/lgn-cuda.test.mjs > $OUT/lgn-final.log 2>&1
echo "lgn-cuda final exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/lgn-final.log | tr '\n' ' ')" >> $OUT/summary.txt
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
