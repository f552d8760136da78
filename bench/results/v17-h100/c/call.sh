#!/bin/bash
# v17 call C: where the fused step's time goes (diagnostic addon fdiag = fused2 + V1LM_FUSED_DIAG bits:
# 1 no spike push, 2 no LGN/BKG blocks). Timings only (diag runs are not the model).
set -u
for v in main fdiag fused; do [ -f .cache/$v/v1lm.node.xz ] && xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
[ -d bench/.networks ] || timeout 120 node .gpu/prebuild-w1.mjs > $OUT/prebuild.log 2>&1
b() { # name addon args...
  local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 150 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/; s/NVIDIA H100 80GB HBM3/H100/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
}
b main-w1 main W1 --trials 5
for g in 0 1 2 3; do V1LM_FUSED_DIAG=$g b fdiag$g-w1 fdiag W1 --trials 5; done
V1LM_CUDA_GRAPHS=0 b fdiag0-nograph fdiag W1 --trials 5
V1LM_CUDA_GRAPHS=0 b main-nograph main W1 --trials 5
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
