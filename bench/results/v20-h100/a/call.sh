#!/bin/bash
# v20 call A (H100): the fast forward of batches 1–2 in one thread-block cluster (cl1 = branch exp-cluster): the
# new parity case first, then W1 against the two kernels per step (the same addon, V1LM_CLUSTER_STEPS=0), the
# profile of both, then the whole parity suite and the LGN GPU test.
set -u
for v in cl1; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
export V1LM_ADDON=$PWD/.cache/cl1/v1lm.node
timeout 150 node --test --test-reporter=spec --test-name-pattern="thread-block cluster" test/gpu/parity.mjs > $OUT/parity-cluster.log 2>&1
echo "cluster case exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-cluster.log | tr '\n' ' ')" >> $OUT/summary.txt
grep "^# cluster" $OUT/parity-cluster.log >> $OUT/summary.txt
timeout 200 node .gpu/prebuild-w1.mjs > $OUT/prebuild.log 2>&1
b() { # name cluster(0/1) args...
  local n=$1 c=$2; shift 2
  if [ $c = 0 ]; then export V1LM_CLUSTER_STEPS=0; else unset V1LM_CLUSTER_STEPS; fi
  timeout 120 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/; s/NVIDIA H100 80GB HBM3/H100/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
  unset V1LM_CLUSTER_STEPS
}
for r in 1 2; do b steps-w1-$r 0 W1 --trials 10; b cluster-w1-$r 1 W1 --trials 10; done
V1LM_CUDA_PROFILE=1 b steps-w1prof 0 W1 --trials 3
V1LM_CUDA_PROFILE=1 b cluster-w1prof 1 W1 --trials 3
timeout 300 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity.log 2>&1
echo "parity exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity.log | tr '\n' ' ')" >> $OUT/summary.txt
timeout 100 node --test --test-reporter=spec test/gpu/lgn-cuda.test.mjs > $OUT/lgn.log 2>&1
echo "lgn-cuda exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/lgn.log | tr '\n' ' ')" >> $OUT/summary.txt
cat $OUT/summary.txt
grep -h "v1lm cuda forward" $OUT/progress-*-w1prof.txt | tail -4 | cut -c1-200
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
