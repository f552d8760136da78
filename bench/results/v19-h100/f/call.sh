#!/bin/bash
# v19 call F (H100): the rows of main (r0 = main after v19: the skip + the row bounds beside the row's
# id; its parity 14/14 and LGN test 4/4 ran in call e on this same addon): W1 ×2, W2 ×2, W2 bfloat16, F, C, with
# the full column's network built first, alone.
set -u
for v in r0; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
timeout 420 node .gpu/prebuild-c.mjs > $OUT/prebuild-c.log 2>&1 &
PC=$!
timeout 300 node .gpu/prebuild.mjs > $OUT/prebuild.log 2>&1 &
PB=$!
wait $PB; wait $PC
b() { # name addon args...
  local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 150 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/; s/NVIDIA H100 80GB HBM3/H100/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2; do b r0-w1-$r r0 W1 --trials 10; done
for r in 1 2; do b r0-$r r0 W2 --trials 10; done
b r0-bf16 r0 W2 --trials 10 --adjoint_precision bfloat16
b r0-F r0 F --trials 10
b r0-C r0 C --trials 5
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
