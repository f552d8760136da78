#!/bin/bash
# v24 call E (H100): vr (kStep's neuron role loads the warp's voltage-regularizer sum after its wait, beside the state,
# instead of after the update) against the final build (fused1 = main f13d3fd's kernels): W1 ×3 interleaved; parity, LGN.
set -u
for v in fused1 vr; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
timeout 300 node .gpu/prebuild-w1.mjs > $OUT/prebuild.log 2>&1 &
PB=$!
export V1LM_ADDON=$PWD/.cache/vr/v1lm.node
timeout 250 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity-vr.log 2>&1
echo "parity vr exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-vr.log | tr '\n' ' ')" >> $OUT/summary.txt
grep -m5 -E 'AssertionError|Error|not ok' $OUT/parity-vr.log >> $OUT/summary.txt
timeout 100 node --test --test-reporter=spec test/gpu/lgn-cuda.test.mjs > $OUT/lgn-vr.log 2>&1
echo "lgn-cuda vr exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/lgn-vr.log | tr '\n' ' ')" >> $OUT/summary.txt
unset V1LM_ADDON
wait $PB
b() { # name addon args...
  local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 150 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/; s/NVIDIA H100 80GB HBM3/H100/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2 3; do
  b final-w1-$r fused1 W1 --trials 10
  b vr-w1-$r vr W1 --trials 10
done
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
