#!/bin/bash
# v18 call C (H100): kNeuronAdj by receptor slots with the pass's inputs loaded first (adjA; adjB: the same at
# 4 blocks per SM), and the pieces weight gradients with a tree of shuffles (ptree2) against main (mainv17b)
# and pgrad (call A); parity of adjA, adjB, ptree2; W2 ×2, W1; device-phase profiles of adjA and adjB.
set -u
for v in mainv17b pgrad ptree2 adjA adjB; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
timeout 300 node .gpu/prebuild.mjs > $OUT/prebuild.log 2>&1 &
PB=$!
p() { # addon
  export V1LM_ADDON=$PWD/.cache/$1/v1lm.node
  timeout 150 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity-$1.log 2>&1
  echo "parity $1 exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-$1.log | tr '\n' ' ')" >> $OUT/summary.txt
  unset V1LM_ADDON
}
p adjA; p adjB; p ptree2
wait $PB
b() { # name addon args...
  local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 150 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/; s/NVIDIA H100 80GB HBM3/H100/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2; do
  for v in mainv17b pgrad ptree2 adjA adjB; do b $v-$r $v W2 --trials 10; done
done
for v in mainv17b adjA adjB; do b $v-w1 $v W1 --trials 10; done
V1LM_CUDA_PROFILE=1 b adjA-prof adjA W2 --trials 3
V1LM_CUDA_PROFILE=1 b adjB-prof adjB W2 --trials 3
cat $OUT/summary.txt
grep -h "v1lm cuda backward" $OUT/progress-adjA-prof.txt $OUT/progress-adjB-prof.txt | tail -4
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
