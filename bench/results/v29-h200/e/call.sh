#!/bin/bash
# v29 call E (nvidia-h200): main after v29 (75db9d6) with nothing else on the host: W1 ×2, then F after the W2
# network's build (call D's W1 and F ran while the W2 and C networks were being built).
set -u
xz -dc .cache/main/v1lm.node.xz > .cache/main/v1lm.node
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
b() { local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 150 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/; s/NVIDIA H100 80GB HBM3/H100/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
}
node dist/bench/run.js W1 --build_only > $OUT/prebuild-w1.log 2>&1
for r in 1 2; do b main-w1-$r main W1 --trials 10; done
timeout 200 node dist/bench/run.js W2 --build_only > $OUT/prebuild-w2.log 2>&1
b main-f main F --trials 10
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
