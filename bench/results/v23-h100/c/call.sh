#!/bin/bash
# v23 call C (H100): the lane-group pull (batches 1–2) loading its item's first rounds of synapse records before its
# wait — pre1 (1 round), pre2 (2 rounds: all of a 64-synapse item) — against main24 (main after v23 a): parity
# suite of pre2, the batch-1–2 parity cases of pre1, LGN of pre2; W1 ×3 interleaved, W2 of main24 and pre2;
# profiles (backward device phases).
set -u
for v in main24 pre1 pre2; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
timeout 300 node .gpu/prebuild.mjs > $OUT/prebuild.log 2>&1 &
PB=$!
V1LM_ADDON=$PWD/.cache/pre2/v1lm.node timeout 200 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity-pre2.log 2>&1
echo "parity pre2 exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-pre2.log | tr '\n' ' ')" >> $OUT/summary.txt
grep -m3 -E 'AssertionError' $OUT/parity-pre2.log >> $OUT/summary.txt
V1LM_ADDON=$PWD/.cache/pre2/v1lm.node timeout 100 node --test --test-reporter=spec test/gpu/lgn-cuda.test.mjs > $OUT/lgn-pre2.log 2>&1
echo "lgn-cuda pre2 exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/lgn-pre2.log | tr '\n' ' ')" >> $OUT/summary.txt
V1LM_ADDON=$PWD/.cache/pre1/v1lm.node timeout 100 node --test --test-reporter=spec --test-name-pattern='parity 2k:|parity 10k|parity 20k|held below rest|summed ahead' test/gpu/parity.mjs > $OUT/parity-pre1.log 2>&1
echo "parity (B 1–2 cases) pre1 exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-pre1.log | tr '\n' ' ')" >> $OUT/summary.txt
wait $PB
b() { # name addon args...
  local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 150 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/; s/NVIDIA H100 80GB HBM3/H100/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2 3; do
  b main24-w1-$r main24 W1 --trials 10
  b pre1-w1-$r pre1 W1 --trials 10
  b pre2-w1-$r pre2 W1 --trials 10
done
b main24-w2 main24 W2 --trials 10
b pre2-w2 pre2 W2 --trials 10
for p in main24 pre2; do V1LM_CUDA_PROFILE=1 b prof-$p $p W1 --trials 3; grep 'v1lm cuda backward' $OUT/progress-prof-$p.txt | tail -1 >> $OUT/summary.txt; done
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
