#!/bin/bash
# v17 call B: fused2 (block-wide push of a neuron block's spikes) against main on W1.
set -u
for v in main fused2; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
timeout 120 node .gpu/prebuild-w1.mjs > $OUT/prebuild.log 2>&1 &
PB=$!
export V1LM_ADDON=$PWD/.cache/fused2/v1lm.node
timeout 150 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity-fused2.log 2>&1
echo "parity fused2 exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-fused2.log | tr '\n' ' ')" >> $OUT/summary.txt
timeout 60 node --test --test-reporter=spec test/gpu/lgn-cuda.test.mjs > $OUT/lgn-cuda-fused2.log 2>&1
echo "lgn-cuda fused2 exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/lgn-cuda-fused2.log | tr '\n' ' ')" >> $OUT/summary.txt
unset V1LM_ADDON
wait $PB
b() { # name addon args...
  local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 150 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/; s/NVIDIA H100 80GB HBM3/H100/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2 3; do for v in main fused2; do b $v-w1-$r $v W1 --trials 10; done; done
for v in main fused2; do V1LM_CUDA_PROFILE=1 b $v-prof $v W1 --trials 5; done
grep -h "cuda forward" $OUT/progress-fused2-prof.txt | tail -2 | cut -c1-120 >> $OUT/summary.txt
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
