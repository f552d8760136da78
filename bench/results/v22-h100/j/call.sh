#!/bin/bash
# v22 call J (H100): chk (exp-lgncheck: the LGN probabilities' range checked while staged, not before the forward)
# — the parity cases 2k, 10k, inputs ahead and the new range-error case; W1 ×2 interleaved with main (land); lgnvar2 of chk last.
set -u
for v in land chk; do [ -f .cache/$v/v1lm.node ] || xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
V1LM_ADDON=$PWD/.cache/chk/v1lm.node timeout 120 node --test --test-reporter=spec --test-name-pattern 'parity 2k:|parity 10k|summed ahead|outside' test/gpu/parity.mjs > $OUT/parity-chk.log 2>&1
echo "parity chk exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-chk.log | tr '\n' ' ')" >> $OUT/summary.txt
grep -m3 -E 'AssertionError|✖' $OUT/parity-chk.log >> $OUT/summary.txt
timeout 60 node .gpu/prebuild-w1.mjs > $OUT/prebuild.log 2>&1
b() { # name addon args...
  local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 60 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/; s/NVIDIA H100 80GB HBM3/H100/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2; do
  b land-w1-$r land W1 --trials 10
  b chk-w1-$r chk W1 --trials 10
done
echo "lgnvar2 chk" >> $OUT/summary.txt
V1LM_ADDON=$PWD/.cache/chk/v1lm.node timeout 35 node .gpu/lgnvar2.mjs 2>&1 | tail -6 >> $OUT/summary.txt
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
