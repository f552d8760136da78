#!/bin/bash
# v28 call H (nvidia-h200): fc (main 0df5368) against fn = fc + the kernels' parameters read before their waits in
# kStep's neuron half (the area's state and output pointers), kNeuronAdj (pending, dI) and kPull's lane-group rows
# (dI, pullGrad, pending). W1 x2 interleaved, parity and LGN of fn, W1 once more each.
set -u
for v in fc fn; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
node dist/bench/run.js W1 --build_only > $OUT/prebuild.log 2>&1
b() { local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 60 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2; do for v in fc fn; do b $v-w1-$r $v W1 --trials 10; done; done
export V1LM_ADDON=$PWD/.cache/fn/v1lm.node
timeout 120 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity-fn.log 2>&1
echo "parity fn exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-fn.log | tr '\n' ' ')" >> $OUT/summary.txt
grep -m5 -E 'AssertionError|Error|not ok' $OUT/parity-fn.log >> $OUT/summary.txt
timeout 30 node --test --test-reporter=spec test/gpu/lgn-cuda.test.mjs > $OUT/lgn-fn.log 2>&1
echo "lgn-cuda fn exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/lgn-fn.log | tr '\n' ' ')" >> $OUT/summary.txt
unset V1LM_ADDON
for v in fn fc; do b $v-w1-3 $v W1 --trials 10; done
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
