#!/bin/bash
# v26 call D: lg4 (LGN staging from the call's start, 8 helpers, 1 MB chunks, segments not cut by chunks after the
# first 50 steps) — parity, LGN — W1 ×3, W2, F interleaved with main (lg3).
set -u
for v in lg3 lg4; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
timeout 250 node .gpu/prebuild.mjs > $OUT/prebuild.log 2>&1 &
PB=$!
export V1LM_ADDON=$PWD/.cache/lg4/v1lm.node
timeout 220 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity-lg4.log 2>&1
echo "parity lg4 exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-lg4.log | tr '\n' ' ')" >> $OUT/summary.txt
grep -m5 -E 'AssertionError|Error|not ok' $OUT/parity-lg4.log >> $OUT/summary.txt
timeout 60 node --test --test-reporter=spec test/gpu/lgn-cuda.test.mjs > $OUT/lgn-lg4.log 2>&1
echo "lgn-cuda lg4 exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/lgn-lg4.log | tr '\n' ' ')" >> $OUT/summary.txt
unset V1LM_ADDON
wait $PB
b() { local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 120 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/; s/NVIDIA H100 80GB HBM3/H100/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2 3; do for v in lg3 lg4; do b $v-w1-$r $v W1 --trials 10; done; done
for v in lg3 lg4; do b $v-w2 $v W2 --trials 10; done
for v in lg3 lg4; do b $v-f $v F --trials 10; done
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
