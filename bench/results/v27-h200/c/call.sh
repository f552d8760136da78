#!/bin/bash
# v27 call C (nvidia-h200): W1 alone on the machine (no network build beside it): lg7 (main) / ep / ev ×3
# interleaved, then kStep's stamps of main (s7) and of ep (sep) ×2 each, read by stamps.py.
set -u
for v in lg7 ep ev s7 sep; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version,clocks.max.sm,clocks.max.mem --format=csv > $OUT/machine.txt 2>&1
timeout 60 node .gpu/prebuild.mjs W1 > $OUT/prebuild.log 2>&1
b() { local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 100 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/; s/NVIDIA H100 80GB HBM3/H100/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2 3; do for v in lg7 ep ev; do b $v-w1-$r $v W1 --trials 10; done; done
for r in 1 2; do for v in s7 sep; do
  V1LM_STEP_STAMPS=$OUT/stamps-$v-$r.bin b $v-w1-$r $v W1 --trials 10
  python3 .gpu/stamps.py $OUT/stamps-$v-$r.bin >> $OUT/summary.txt 2>&1
done; done
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
