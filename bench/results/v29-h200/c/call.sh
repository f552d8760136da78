#!/bin/bash
# v29 call C (nvidia-h200): lb = main (3349d67) + kNeuronAdj of batches ≥ 3 bounded to 4 blocks of 256 per SM
# (74 → 64 registers for R = 3, 44–56 bytes spilled; ncu in call B: W2's pass 83.6 µs at 37.5 % theoretical
# occupancy, limited by registers). Parity and LGN of lb; W2 ×3 and W1 ×2 interleaved main / lb.
set -u
for v in main lb; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
timeout 200 node dist/bench/run.js W1 W2 --build_only > $OUT/prebuild.log 2>&1 &
PB=$!
export V1LM_ADDON=$PWD/.cache/lb/v1lm.node
timeout 200 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity-lb.log 2>&1
echo "parity lb exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-lb.log | tr '\n' ' ')" >> $OUT/summary.txt
grep -m5 -E 'AssertionError|Error|not ok' $OUT/parity-lb.log >> $OUT/summary.txt
timeout 60 node --test --test-reporter=spec test/gpu/lgn-cuda.test.mjs > $OUT/lgn-lb.log 2>&1
echo "lgn-cuda lb exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/lgn-lb.log | tr '\n' ' ')" >> $OUT/summary.txt
unset V1LM_ADDON
wait $PB
b() { local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 150 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/; s/NVIDIA H100 80GB HBM3/H100/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2 3; do for v in main lb; do b $v-w2-$r $v W2 --trials 10; done; done
for r in 1 2; do for v in main lb; do b $v-w1-$r $v W1 --trials 10; done; done
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
