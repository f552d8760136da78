#!/bin/bash
# v13 call D: kPull's items only the pull rows with synapses (compact, branch exp-pull-compact) and the same
# longest row first (sorted, exp-pull-sorted) against main (kn3 + review mends, main13): parity of both,
# W1 / W2 of each twice alternating, W2 with bfloat16 adjoints once each.
set -u
for v in main13 compact sorted; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
timeout 300 node .gpu/prebuild.mjs > $OUT/prebuild.log 2>&1 &
PB=$!
for v in compact sorted; do
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 200 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity-$v.log 2>&1
  echo "parity $v exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-$v.log | tr '\n' ' ')" >> $OUT/summary.txt
done
wait $PB
b() { # name addon args...
  local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 200 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/; s/NVIDIA H100 80GB HBM3/H100/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2; do for v in main13 compact sorted; do b $v-$r $v W1 W2 --trials 10; done; done
for v in main13 compact sorted; do b $v-bf16 $v W2 --trials 10 --adjoint_precision bfloat16; done
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
