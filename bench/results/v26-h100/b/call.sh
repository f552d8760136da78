#!/bin/bash
# v26 call B: kStep stamps (globaltimer) of W1's forward; W1 bench of the stamps build.
set -u
xz -dc .cache/stamps/v1lm.node.xz > .cache/stamps/v1lm.node
timeout 200 node .gpu/prebuild-w1.mjs > $OUT/prebuild.log 2>&1
for r in 1 2; do
V1LM_STEP_STAMPS=$OUT/stamps-$r.bin V1LM_ADDON=$PWD/.cache/stamps/v1lm.node timeout 90 node dist/bench/run.js W1 --trials 10 --out $OUT/json-st$r > $OUT/bench-st$r.txt 2>>$OUT/progress.txt
grep -E '^ +W1 ' $OUT/bench-st$r.txt >> $OUT/summary.txt
python3 .gpu/stamps.py $OUT/stamps-$r.bin >> $OUT/summary.txt 2>&1
done
cat $OUT/summary.txt
