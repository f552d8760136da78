#!/bin/bash
# v23 call F (H100): ga (exp-grad-ahead: the lane-group pull loads the first rounds' gradients of spiking rows before its
# wait and stores them after all their gathers) against main26 (main c73ee83): parity suite and LGN test of ga;
# W1 ×3 interleaved; profiles.
set -u
for v in main26 ga; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
timeout 200 node .gpu/prebuild-w1.mjs > $OUT/prebuild.log 2>&1 &
PB=$!
V1LM_ADDON=$PWD/.cache/ga/v1lm.node timeout 200 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity-ga.log 2>&1
echo "parity ga exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-ga.log | tr '\n' ' ')" >> $OUT/summary.txt
grep -m3 -E 'AssertionError|Error' $OUT/parity-ga.log >> $OUT/summary.txt
V1LM_ADDON=$PWD/.cache/ga/v1lm.node timeout 100 node --test --test-reporter=spec test/gpu/lgn-cuda.test.mjs > $OUT/lgn-ga.log 2>&1
echo "lgn-cuda ga exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/lgn-ga.log | tr '\n' ' ')" >> $OUT/summary.txt
wait $PB
b() { # name addon args...
  local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 150 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/; s/NVIDIA H100 80GB HBM3/H100/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2 3; do
  b main26-w1-$r main26 W1 --trials 10
  b ga-w1-$r ga W1 --trials 10
done
for p in main26 ga; do V1LM_CUDA_PROFILE=1 b prof-$p $p W1 --trials 3; grep 'v1lm cuda backward' $OUT/progress-prof-$p.txt | tail -1 >> $OUT/summary.txt; done
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
