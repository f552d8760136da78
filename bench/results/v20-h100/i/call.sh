#!/bin/bash
# v20 call I (H100): kNeuron with inputs ahead reading each neuron's own copy of its type's constants (nc1 = branch
# exp-consts) against main (ia1 = a988e81): the parity suite and LGN GPU test of nc1, then W1 ×3 interleaved and a
# profile of each.
set -u
for v in ia1 nc1; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
V1LM_ADDON=$PWD/.cache/nc1/v1lm.node timeout 150 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity-nc1.log 2>&1
echo "parity nc1 exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-nc1.log | tr '\n' ' ')" >> $OUT/summary.txt
grep "^# inputs ahead" $OUT/parity-nc1.log >> $OUT/summary.txt
V1LM_ADDON=$PWD/.cache/nc1/v1lm.node timeout 100 node --test --test-reporter=spec test/gpu/lgn-cuda.test.mjs > $OUT/lgn-nc1.log 2>&1
echo "lgn-cuda nc1 exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/lgn-nc1.log | tr '\n' ' ')" >> $OUT/summary.txt
timeout 200 node .gpu/prebuild-w1.mjs > $OUT/prebuild.log 2>&1
b() { # name addon args...
  local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 150 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/; s/NVIDIA H100 80GB HBM3/H100/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2 3; do for v in ia1 nc1; do b $v-w1-$r $v W1 --trials 10; done; done
for v in ia1 nc1; do V1LM_CUDA_PROFILE=1 b $v-w1prof $v W1 --trials 3; done
cat $OUT/summary.txt
for v in ia1 nc1; do grep -h "v1lm cuda forward" $OUT/progress-$v-w1prof.txt | tail -1 | cut -c1-110; done
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
