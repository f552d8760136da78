#!/bin/bash
# cl4 = branch exp-cluster (L2 atomics, items dealt CTA by CTA, one-warp scan, external sums a segment ahead), cd4 = cl4 + stamps.
# v20 call D (H100): per-phase cycles inside the cluster forward (diagnostic builds cd1 = cl1 + stamps, cd3 = cl3 + stamps).
set -u
for v in cd4; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version,clocks.sm --format=csv > $OUT/machine.txt 2>&1
timeout 200 node .gpu/prebuild-w1.mjs > $OUT/prebuild.log 2>&1
for v in cd4; do
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 120 node dist/bench/run.js W1 --trials 3 --out $OUT/json-$v > $OUT/bench-$v.txt 2>$OUT/progress-$v.txt
  echo "$v: $(grep -E '^ +W1 ' $OUT/bench-$v.txt | awk '{print $1, $9, $10, $11, $12}')" >> $OUT/summary.txt
  grep "cluster diag" $OUT/progress-$v.txt | tail -2 >> $OUT/summary.txt
done

b() { # name addon cluster(0/1) args...
  local n=$1 v=$2 c=$3; shift 3
  if [ $c = 0 ]; then export V1LM_CLUSTER_STEPS=0; else unset V1LM_CLUSTER_STEPS; fi
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 120 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/; s/NVIDIA H100 80GB HBM3/H100/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
  unset V1LM_CLUSTER_STEPS
}
xz -dc .cache/cl4/v1lm.node.xz > .cache/cl4/v1lm.node
for r in 1 2; do b steps-w1-$r cl4 0 W1 --trials 10; b cl4-w1-$r cl4 1 W1 --trials 10; done
V1LM_CUDA_PROFILE=1 b cl4-w1prof cl4 1 W1 --trials 3
V1LM_ADDON=$PWD/.cache/cl4/v1lm.node timeout 150 node --test --test-reporter=spec --test-name-pattern="thread-block cluster" test/gpu/parity.mjs > $OUT/parity-cluster-cl4.log 2>&1
echo "cluster case cl4 exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-cluster-cl4.log | tr '\n' ' ')" >> $OUT/summary.txt
grep "^# cluster" $OUT/parity-cluster-cl4.log >> $OUT/summary.txt
tail -12 $OUT/summary.txt; grep -h "v1lm cuda forward" $OUT/progress-cl4-w1prof.txt | tail -1 | cut -c1-120
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
