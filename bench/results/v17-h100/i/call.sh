#!/bin/bash
# v17 call I: LGN weight gradients — 8 in flight (lgngrad8), one walk per row for all (step, batch) pairs
# (lgngradreg), none at all (nolgngrad: timing bound only) — against main (lgngrad).
set -u
for v in lgngrad lgngrad8 lgngradreg nolgngrad; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
timeout 300 node .gpu/prebuild.mjs > $OUT/prebuild.log 2>&1 &
PB=$!
for v in lgngrad8 lgngradreg; do
  export V1LM_ADDON=$PWD/.cache/$v/v1lm.node
  timeout 150 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity-$v.log 2>&1
  echo "parity $v exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-$v.log | tr '\n' ' ')" >> $OUT/summary.txt
done
unset V1LM_ADDON
wait $PB
b() { # name addon args...
  local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 150 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/; s/NVIDIA H100 80GB HBM3/H100/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2; do for v in lgngrad lgngrad8 lgngradreg nolgngrad; do b $v-w1-$r $v W1 --trials 10; done; done
for v in lgngrad lgngrad8 lgngradreg nolgngrad; do b $v-w2 $v W2 --trials 10; done
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
