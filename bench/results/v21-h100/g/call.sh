#!/bin/bash
# v21 call G (H100): the parity suite again, twice for land and once for main (fin), after call F's one spike flip
# between two CUDA variants in the inputs-ahead case (analog LGN, batch 1, step 72).
set -u
for v in fin land; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
for r in land-1 fin-1 land-2; do
  V1LM_ADDON=$PWD/.cache/${r%-*}/v1lm.node timeout 200 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity-$r.log 2>&1
  echo "parity $r exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-$r.log | tr '\n' ' ')" >> $OUT/summary.txt
  grep "^# inputs ahead" $OUT/parity-$r.log >> $OUT/summary.txt
  grep -A3 "AssertionError" $OUT/parity-$r.log | head -4 >> $OUT/summary.txt
done
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
