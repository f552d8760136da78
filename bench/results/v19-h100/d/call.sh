#!/bin/bash
# v19 call D (H100): kPull's half-warp kernels (B ≤ 2) at 6 and 8 resident blocks per SM (pmb6: 40 registers,
# pmb8: 32, both spill) against main v19 (4 blocks, 64 registers): W1 ×3 rounds, interleaved.
set -u
for v in v19 pmb6 pmb8; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
timeout 200 node .gpu/prebuild-w1.mjs > $OUT/prebuild.log 2>&1
b() { # name addon args...
  local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 150 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/; s/NVIDIA H100 80GB HBM3/H100/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2 3; do for v in v19 pmb6 pmb8; do b $v-w1-$r $v W1 --trials 10; done; done
for v in v19 pmb6; do V1LM_CUDA_PROFILE=1 b $v-w1prof $v W1 --trials 3; done
cat $OUT/summary.txt
grep -h "v1lm cuda backward" $OUT/progress-*-w1prof.txt | tail -4
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
