#!/bin/bash
# v17 call L (H100): one pushRow<N> walk for kPush's spike and LGN rows (pushrow) — parity, LGN test, W1 / W2 / F against mainv17.
set -u
for v in mainv17 pushrow; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
timeout 300 node .gpu/prebuild.mjs > $OUT/prebuild.log 2>&1 &
PB=$!
export V1LM_ADDON=$PWD/.cache/pushrow/v1lm.node
timeout 150 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity-pushrow.log 2>&1
echo "parity pushrow exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-pushrow.log | tr '\n' ' ')" >> $OUT/summary.txt
timeout 60 node --test --test-reporter=spec test/gpu/lgn-cuda.test.mjs > $OUT/lgn-cuda-pushrow.log 2>&1
echo "lgn-cuda pushrow exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/lgn-cuda-pushrow.log | tr '\n' ' ')" >> $OUT/summary.txt
unset V1LM_ADDON
wait $PB
b() { # name addon args...
  local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 150 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/; s/NVIDIA H100 80GB HBM3/H100/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
}
for v in mainv17 pushrow; do b $v-w1 $v W1 --trials 10; done
for v in mainv17 pushrow; do b $v-w2f $v W2 F --trials 10; done
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
