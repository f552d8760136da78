#!/bin/bash
# v12 call A (prepared in the seventh session, not yet run): fixed-width BKG in-lists in kNeuron (bkgw, branch
# exp-bkg-width), LGN lanes per active unit (lgnl, branch exp-lgn-lanes) and both (both, branch exp-v12-both)
# against main (base): parity of both, W1 / W2 / F float32 of each, a second round of base and both (≈ 450 s).
set -u
for v in base bkgw lgnl both; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
timeout 300 node .gpu/prebuild.mjs > $OUT/prebuild.log 2>&1 &
PB=$!
for v in both; do
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 200 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity-$v.log 2>&1
  echo "parity $v exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-$v.log | tr '\n' ' ')" >> $OUT/summary.txt
done
wait $PB
b() { # name addon args...
  local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 150 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | awk '{print $1, $12, $13, $14, $15, $18}' | tr '\n' ';')" >> $OUT/summary.txt
}
for v in base bkgw lgnl both; do b $v-1 $v W1 W2 F --trials 10; done
for v in base both; do b $v-2 $v W1 W2 F --trials 10; done
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
