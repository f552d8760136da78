#!/bin/bash
# v28 call B (nvidia-h200): vm (main + the zero state's v built with the engine) against fp (vm + kStep's split push):
# W1 x4 interleaved; kStep's globaltimer stamps of svm / sfp (= vm / fp + bench/results/v27-h200/c's stamps) x2 each.
set -u
for v in vm fp svm sfp; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
node dist/bench/run.js W1 --build_only > $OUT/prebuild.log 2>&1
b() { local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 120 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2 3 4; do for v in vm fp; do b $v-w1-$r $v W1 --trials 10; done; done
for r in 1 2; do for v in svm sfp; do
  V1LM_STEP_STAMPS=$OUT/stamps-$v-$r.bin b $v-w1-$r $v W1 --trials 10
  python3 .gpu/stamps.py $OUT/stamps-$v-$r.bin >> $OUT/summary.txt 2>&1
done; done
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
