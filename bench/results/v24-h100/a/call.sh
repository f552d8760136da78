#!/bin/bash
# v24 call A: fused1 (kStep: one kernel a step for batches 1–2 with the inputs ahead) — parity suite, LGN test —
# against main26 (main c73ee83 / 19b0a0e) and fused1 with V1LM_FUSED_STEPS=0: W1 ×2 and W2 interleaved; profiles.
set -u
for v in main26 fused1; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
timeout 300 node .gpu/prebuild.mjs > $OUT/prebuild.log 2>&1 &
PB=$!
export V1LM_ADDON=$PWD/.cache/fused1/v1lm.node
timeout 250 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity-fused1.log 2>&1
echo "parity fused1 exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-fused1.log | tr '\n' ' ')" >> $OUT/summary.txt
grep -m5 -E 'AssertionError|Error|not ok' $OUT/parity-fused1.log >> $OUT/summary.txt
grep -E '# (inputs ahead|fused steps)' $OUT/parity-fused1.log >> $OUT/summary.txt
timeout 100 node --test --test-reporter=spec test/gpu/lgn-cuda.test.mjs > $OUT/lgn-fused1.log 2>&1
echo "lgn-cuda fused1 exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/lgn-fused1.log | tr '\n' ' ')" >> $OUT/summary.txt
unset V1LM_ADDON
wait $PB
b() { # name addon args...
  local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 150 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/; s/NVIDIA H100 80GB HBM3/H100/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2; do
  b main26-w1-$r main26 W1 --trials 10
  b fused1-w1-$r fused1 W1 --trials 10
  V1LM_FUSED_STEPS=0 b f1off-w1-$r fused1 W1 --trials 10
done
b main26-w2 main26 W2 --trials 10
b fused1-w2 fused1 W2 --trials 10
V1LM_CUDA_PROFILE=1 b prof-fused1 fused1 W1 --trials 3; grep 'v1lm cuda' $OUT/progress-prof-fused1.txt | tail -2 >> $OUT/summary.txt
V1LM_CUDA_PROFILE=1 b prof-main26 main26 W1 --trials 3; grep 'v1lm cuda' $OUT/progress-prof-main26.txt | tail -2 >> $OUT/summary.txt
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
