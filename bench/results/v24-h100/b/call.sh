#!/bin/bash
# v24 call B: fused2 (kStep for every batch: in the steps for batches > 2) — parity suite, LGN test — against main26:
# W1 by push blocks per SM (2 = default, 1, 3), W2 and F by push blocks per SM (4 = default, 1, 2) and unfused.
set -u
for v in main26 fused2; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
timeout 300 node .gpu/prebuild.mjs > $OUT/prebuild.log 2>&1 &
PB=$!
export V1LM_ADDON=$PWD/.cache/fused2/v1lm.node
timeout 250 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity-fused2.log 2>&1
echo "parity fused2 exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-fused2.log | tr '\n' ' ')" >> $OUT/summary.txt
grep -m5 -E 'AssertionError|Error|not ok' $OUT/parity-fused2.log >> $OUT/summary.txt
grep -E '^# ' $OUT/parity-fused2.log | grep -v '^# (tests|suites|pass|fail|cancelled|skipped|todo|duration)' | head -40 >> $OUT/summary.txt
timeout 100 node --test --test-reporter=spec test/gpu/lgn-cuda.test.mjs > $OUT/lgn-fused2.log 2>&1
echo "lgn-cuda fused2 exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/lgn-fused2.log | tr '\n' ' ')" >> $OUT/summary.txt
unset V1LM_ADDON
wait $PB
b() { # name addon args...
  local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 150 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/; s/NVIDIA H100 80GB HBM3/H100/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2; do
  b main26-w1-$r main26 W1 --trials 10
  b fused2-w1-$r fused2 W1 --trials 10
  V1LM_STEP_PUSH_PER_SM=1 b ps1-w1-$r fused2 W1 --trials 10
  V1LM_STEP_PUSH_PER_SM=3 b ps3-w1-$r fused2 W1 --trials 10
done
b main26-w2 main26 W2 --trials 10
b fused2-w2 fused2 W2 --trials 10
V1LM_STEP_PUSH_PER_SM=1 b ps1-w2 fused2 W2 --trials 10
V1LM_STEP_PUSH_PER_SM=2 b ps2-w2 fused2 W2 --trials 10
V1LM_FUSED_STEPS=0 b unf-w2 fused2 W2 --trials 10
b main26-f main26 F --trials 10
b fused2-f fused2 F --trials 10
V1LM_STEP_PUSH_PER_SM=1 b ps1-f fused2 F --trials 10
V1LM_STEP_PUSH_PER_SM=2 b ps2-f fused2 F --trials 10
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
