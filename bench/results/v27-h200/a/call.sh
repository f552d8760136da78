#!/bin/bash
# v27 call A (nvidia-h200): main 91e5c8f (lg7: last native change 062949a, not yet GPU-run) — parity, LGN —
# then W1 ×3, W2 ×2, F interleaved with main after v25 (lg3 = ee35afe); W1/W2 networks built beside the parity run.
set -u
for v in lg3 lg7; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version,clocks.max.sm,clocks.max.mem --format=csv > $OUT/machine.txt 2>&1
nproc >> $OUT/machine.txt
timeout 300 node .gpu/prebuild.mjs W1 W2 > $OUT/prebuild.log 2>&1 &
PB=$!
export V1LM_ADDON=$PWD/.cache/lg7/v1lm.node
timeout 240 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity-lg7.log 2>&1
echo "parity lg7 exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-lg7.log | tr '\n' ' ')" >> $OUT/summary.txt
grep -m5 -E 'AssertionError|Error|not ok' $OUT/parity-lg7.log >> $OUT/summary.txt
timeout 60 node --test --test-reporter=spec test/gpu/lgn-cuda.test.mjs > $OUT/lgn-lg7.log 2>&1
echo "lgn-cuda lg7 exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/lgn-lg7.log | tr '\n' ' ')" >> $OUT/summary.txt
unset V1LM_ADDON
wait $PB
tail -3 $OUT/prebuild.log >> $OUT/summary.txt
b() { local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 120 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/; s/NVIDIA H100 80GB HBM3/H100/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2 3; do for v in lg3 lg7; do b $v-w1-$r $v W1 --trials 10; done; done
for r in 1 2; do for v in lg7 lg3; do b $v-w2-$r $v W2 --trials 10; done; done
b lg7-f lg7 F --trials 10
b lg3-f lg3 F --trials 10
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
