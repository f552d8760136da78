#!/bin/bash
# v20 call B (H100): why the cluster forward (cl1: generic atomics into the owners' shared memory) took 28 ms:
# cl2 = the same adds as red.shared::cluster, cl3 = the adds into the input sums in L2 (global atomics), against
# the two kernels per step (cl1 with V1LM_CLUSTER_STEPS=0). The cluster parity case of cl2 and cl3.
set -u
for v in cl1 cl2 cl3; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
timeout 200 node .gpu/prebuild-w1.mjs > $OUT/prebuild.log 2>&1
V1LM_ADDON=$PWD/.cache/cl1/v1lm.node node -e "
const {loadAddon}=await import('./dist/native.js');const {syntheticNetwork}=await import('./dist/bench/synthetic.js');
const net=syntheticNetwork({nV1:10000,nLm:1426,maxDelay:5,seed:1});const e=await loadAddon().createEngine(net,{backend:'cuda',batch:1,maxDelay:5});
console.log('forwardCluster', e.info().forwardCluster)" --input-type=module >> $OUT/summary.txt 2>&1
b() { # name addon cluster(0/1) args...
  local n=$1 v=$2 c=$3; shift 3
  if [ $c = 0 ]; then export V1LM_CLUSTER_STEPS=0; else unset V1LM_CLUSTER_STEPS; fi
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 120 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/; s/NVIDIA H100 80GB HBM3/H100/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
  unset V1LM_CLUSTER_STEPS
}
b steps-w1 cl1 0 W1 --trials 10; b cl2-w1 cl2 1 W1 --trials 10; b cl3-w1 cl3 1 W1 --trials 10; b cl1-w1 cl1 1 W1 --trials 5
for v in cl2 cl3; do V1LM_CUDA_PROFILE=1 b $v-w1prof $v 1 W1 --trials 3; done
for v in cl2 cl3; do
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 150 node --test --test-reporter=spec --test-name-pattern="thread-block cluster" test/gpu/parity.mjs > $OUT/parity-cluster-$v.log 2>&1
  echo "cluster case $v exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-cluster-$v.log | tr '\n' ' ')" >> $OUT/summary.txt
done
cat $OUT/summary.txt
for v in cl2 cl3; do grep -h "v1lm cuda forward" $OUT/progress-$v-w1prof.txt | tail -1 | cut -c1-120; done
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
