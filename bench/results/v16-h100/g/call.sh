#!/bin/bash
# v16 call G: the half-warp pull's chunks of 64 (pchunk64 = main after v16) against chunks of 32 (pchunk32) and
# chunks of 64 with 4 synapses per lane in flight (p64if4). Parity of both; W1 three rounds alternating, then
# their device phases.
set -u
for v in pchunk64 pchunk32 p64if4; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
timeout 100 node .gpu/prebuild-w1.mjs > $OUT/prebuild.log 2>&1 &
PB=$!
for v in pchunk32 p64if4; do
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 150 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity-$v.log 2>&1
  echo "parity $v exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-$v.log | tr '\n' ' ')" >> $OUT/summary.txt
done
wait $PB
b() { # name addon args...
  local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 150 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/; s/NVIDIA H100 80GB HBM3/H100/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2 3; do for v in pchunk64 pchunk32 p64if4; do b $v-w1-$r $v W1 --trials 10; done; done
for v in pchunk64 pchunk32 p64if4; do V1LM_CUDA_PROFILE=1 b $v-prof $v W1 --trials 5; done
for v in pchunk64 pchunk32 p64if4; do echo "$v: $(grep -h 'cuda backward' $OUT/progress-$v-prof.txt | tail -5 | sed 's/.*pull+inputGrad \([0-9.]*\).*/\1/' | tr '\n' ' ')" >> $OUT/summary.txt; done
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
