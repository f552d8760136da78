#!/bin/bash
# v27 call D (nvidia-h200): where W1's forward goes outside its steps — main + V1LM_CUDA_PROFILE=host (hp): W1 plain,
# then W1 ×2 with the host's phases of every forward call printed (graphs kept).
set -u
for v in hp; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version,clocks.max.sm,clocks.max.mem --format=csv > $OUT/machine.txt 2>&1
timeout 60 node .gpu/prebuild.mjs W1 > $OUT/prebuild.log 2>&1
b() { local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 100 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/; s/NVIDIA H100 80GB HBM3/H100/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
}
b hp-w1-0 hp W1 --trials 10
for r in 1 2; do V1LM_CUDA_PROFILE=host b hp-w1-$r hp W1 --trials 10; grep "cuda forward" $OUT/progress-hp-w1-$r.txt | tail -4 >> $OUT/summary.txt; done
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
