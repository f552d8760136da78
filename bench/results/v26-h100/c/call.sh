#!/bin/bash
# v26 call C: W1's forward by LGN staging knobs (slots, chunk size, first chunk) with kStep stamps and the stagers' log.
set -u
xz -dc .cache/stage/v1lm.node.xz > .cache/stage/v1lm.node
timeout 200 node .gpu/prebuild-w1.mjs > $OUT/prebuild.log 2>&1
run() { local n=$1; shift
  env "$@" V1LM_STAGE_LOG=1 V1LM_STEP_STAMPS=$OUT/stamps-$n.bin V1LM_ADDON=$PWD/.cache/stage/v1lm.node timeout 90 node dist/bench/run.js W1 --trials 10 --out $OUT/json-$n > $OUT/bench-$n.txt 2>$OUT/err-$n.txt
  echo "== $n $*: $(grep -E '^ +W1 ' $OUT/bench-$n.txt | awk '{print "fwd", $9, "bwd", $10, "total", $12}')" >> $OUT/summary.txt
  python3 .gpu/stamps.py $OUT/stamps-$n.bin | grep -E 'span|long' >> $OUT/summary.txt 2>&1
  grep 'stage log' $OUT/err-$n.txt | tail -1 | cut -c1-900 >> $OUT/summary.txt
}
run s3 V1LM_STAGING_SLOTS=3
run s6 V1LM_STAGING_SLOTS=6
run s8 V1LM_STAGING_SLOTS=8
run s8f4 V1LM_STAGING_SLOTS=8 V1LM_FIRST_CHUNK=4
run s8c2 V1LM_STAGING_SLOTS=8 V1LM_CHUNK_KB=2048
run s8c1 V1LM_STAGING_SLOTS=8 V1LM_CHUNK_KB=1024 V1LM_FIRST_CHUNK=4
run s3b V1LM_STAGING_SLOTS=3
cat $OUT/summary.txt
