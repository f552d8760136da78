#!/bin/bash
# v25 call B: lgr (LGN weight gradients by chunks of 128 synapses, j rolled) — parity, LGN — and W1 ×3 interleaved
# with main (rev) and lgu (the same, j unrolled); W1 backward by trainable set with lgr.
set -u
for v in rev lgr lgu; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
timeout 200 node .gpu/prebuild-w1.mjs > $OUT/prebuild.log 2>&1 &
PB=$!
export V1LM_ADDON=$PWD/.cache/lgr/v1lm.node
timeout 200 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity-lgr.log 2>&1
echo "parity lgr exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-lgr.log | tr '\n' ' ')" >> $OUT/summary.txt
grep -m5 -E 'AssertionError|Error|not ok' $OUT/parity-lgr.log >> $OUT/summary.txt
timeout 60 node --test --test-reporter=spec test/gpu/lgn-cuda.test.mjs > $OUT/lgn-lgr.log 2>&1
echo "lgn-cuda lgr exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/lgn-lgr.log | tr '\n' ' ')" >> $OUT/summary.txt
unset V1LM_ADDON
wait $PB
b() { # name addon args...
  local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 60 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/; s/NVIDIA H100 80GB HBM3/H100/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2 3; do
  b rev-w1-$r rev W1 --trials 10
  b lgr-w1-$r lgr W1 --trials 10
  b lgu-w1-$r lgu W1 --trials 10
done
V1LM_ADDON=$PWD/.cache/lgr/v1lm.node timeout 120 node .gpu/bwdparts.mjs 1 > $OUT/bwdparts-lgr.txt 2>&1
grep round $OUT/bwdparts-lgr.txt >> $OUT/summary.txt
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
