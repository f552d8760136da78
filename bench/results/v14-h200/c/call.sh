#!/bin/bash
# v14 call C (prepared in the ninth session, not yet run): step graphs for the forward and replayed backward
# graphs (fgraph, branch exp-forward-graphs: the trial number read from device memory, so the captured
# segments replay from call to call instead of being recaptured every call) against main fe4d147 (main13c):
# parity and the LGN GPU test of fgraph, W1 / W2 / F twice alternating, the same with V1LM_CUDA_GRAPHS=0 once
# (≈ 420 s with the builds of a fresh machine).
set -u  # parity: .gpu/test-gpu/parity-fgraph.mjs is exp-forward-graphs:test/gpu/parity.mjs (+ the trial-number test)
for v in main13c fgraph; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
timeout 300 node .gpu/prebuild.mjs > $OUT/prebuild.log 2>&1 &
PB=$!
V1LM_ADDON=$PWD/.cache/fgraph/v1lm.node timeout 240 node --test --test-reporter=spec .gpu/test-gpu/parity-fgraph.mjs > $OUT/parity-fgraph.log 2>&1
echo "parity fgraph exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-fgraph.log | tr '\n' ' ')" >> $OUT/summary.txt
V1LM_ADDON=$PWD/.cache/fgraph/v1lm.node timeout 120 node --test --test-reporter=spec test/gpu/lgn-cuda.test.mjs > $OUT/lgn-cuda-fgraph.log 2>&1
echo "lgn-cuda fgraph exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/lgn-cuda-fgraph.log | tr '\n' ' ')" >> $OUT/summary.txt
wait $PB
b() { # name addon args...
  local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 200 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/; s/NVIDIA H100 80GB HBM3/H100/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2; do for v in main13c fgraph; do b $v-$r $v W1 W2 F --trials 10; done; done
V1LM_CUDA_GRAPHS=0 b fgraph-nographs fgraph W1 W2 F --trials 10
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
