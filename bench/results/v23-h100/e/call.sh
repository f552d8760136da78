#!/bin/bash
# v23 call E (H100): main26 (main: lg + the chunk offsets and the lane-group rows' second walk removed) — the GPU
# gate (parity suite, LGN test) — against main25 (main c35d85e, before lg): W1 ×2 and W2 interleaved; a profile.
set -u
for v in main25 main26; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
timeout 300 node .gpu/prebuild.mjs > $OUT/prebuild.log 2>&1 &
PB=$!
export V1LM_ADDON=$PWD/.cache/main26/v1lm.node
timeout 200 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity-main26.log 2>&1
echo "parity main26 exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-main26.log | tr '\n' ' ')" >> $OUT/summary.txt
grep -m3 -E 'AssertionError|Error' $OUT/parity-main26.log >> $OUT/summary.txt
timeout 100 node --test --test-reporter=spec test/gpu/lgn-cuda.test.mjs > $OUT/lgn-main26.log 2>&1
echo "lgn-cuda main26 exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/lgn-main26.log | tr '\n' ' ')" >> $OUT/summary.txt
unset V1LM_ADDON
wait $PB
b() { # name addon args...
  local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 150 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/; s/NVIDIA H100 80GB HBM3/H100/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2; do
  b main25-w1-$r main25 W1 --trials 10
  b main26-w1-$r main26 W1 --trials 10
done
b main25-w2 main25 W2 --trials 10
b main26-w2 main26 W2 --trials 10
V1LM_CUDA_PROFILE=1 b prof-main26 main26 W1 --trials 3; grep 'v1lm cuda backward' $OUT/progress-prof-main26.txt | tail -1 >> $OUT/summary.txt
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
