#!/bin/bash
# v26 call E: F's forward by staging knobs on lg4 (helpers, chunk size, segments cut by chunks); W1 by knobs.
set -u
for v in lg3 knobs; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
timeout 250 node .gpu/prebuild.mjs > $OUT/prebuild.log 2>&1
b() { local n=$1 v=$2 w=$3; shift 3
  env "$@" V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 120 node dist/bench/run.js $w --trials 10 --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n $*: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/; s/NVIDIA H100 80GB HBM3/H100/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
}
b lg3-f lg3 F X=1
b k-f knobs F X=1
b k-f-s3 knobs F V1LM_STAGERS=3
b k-f-c4 knobs F V1LM_CHUNK_KB=4096
b k-f-cut knobs F V1LM_CUT_ALL=1
b k-f-all knobs F V1LM_STAGERS=3 V1LM_CHUNK_KB=4096 V1LM_CUT_ALL=1
b lg3-f2 lg3 F X=1
b k-f2 knobs F X=1
b k-w1 knobs W1 X=1
b k-w1-c2 knobs W1 V1LM_CHUNK_KB=2048
b k-w1-s4 knobs W1 V1LM_STAGERS=4
b k-w1-cut knobs W1 V1LM_CUT_ALL=1
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
