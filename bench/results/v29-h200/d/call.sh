#!/bin/bash
# v29 call D (nvidia-h200): main after v29 (75db9d6; its kernels are call C's lb): C and F for the table, W1 ×2 beside
# them. The W2 and C networks are built beside the W1 runs.
set -u
xz -dc .cache/main/v1lm.node.xz > .cache/main/v1lm.node
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
node dist/bench/run.js W1 --build_only > $OUT/prebuild-w1.log 2>&1
timeout 420 node dist/bench/run.js C --build_only > $OUT/prebuild-c.log 2>&1 &
PC=$!
timeout 200 node dist/bench/run.js W2 --build_only > $OUT/prebuild-w2.log 2>&1 &
PB=$!
b() { local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 150 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/; s/NVIDIA H100 80GB HBM3/H100/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2; do b main-w1-$r main W1 --trials 10; done
wait $PB
b main-f main F --trials 10
wait $PC
tail -1 $OUT/prebuild-c.log >> $OUT/summary.txt
b main-c main C --trials 5
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
