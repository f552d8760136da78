#!/bin/bash
# v23 call H (H100): mb5 (exp-pull-mb5: the lane-group pull of batch 1 asked for 5 resident blocks per SM, 48
# registers without spills, instead of 4 at 56) against main26 (main c73ee83): W1 ×3 interleaved, then the parity
# suite and LGN test of mb5.
set -u
for v in main26 mb5; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
timeout 100 node .gpu/prebuild-w1.mjs > $OUT/prebuild.log 2>&1
b() { # name addon args...
  local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 60 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/; s/NVIDIA H100 80GB HBM3/H100/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2 3; do
  b main26-w1-$r main26 W1 --trials 10
  b mb5-w1-$r mb5 W1 --trials 10
done
cat $OUT/summary.txt
V1LM_ADDON=$PWD/.cache/mb5/v1lm.node timeout 110 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity-mb5.log 2>&1
echo "parity mb5 exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-mb5.log | tr '\n' ' ')" >> $OUT/summary.txt
V1LM_ADDON=$PWD/.cache/mb5/v1lm.node timeout 30 node --test --test-reporter=spec test/gpu/lgn-cuda.test.mjs > $OUT/lgn-mb5.log 2>&1
echo "lgn-cuda mb5 exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/lgn-mb5.log | tr '\n' ' ')" >> $OUT/summary.txt
tail -2 $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
