#!/bin/bash
# v17 call F: per-warp durations of the fused step (fdiag bit 64: printf probes every 50 steps).
set -u
xz -dc .cache/fdiag/v1lm.node.xz > .cache/fdiag/v1lm.node
[ -d bench/.networks ] || timeout 120 node .gpu/prebuild-w1.mjs > $OUT/prebuild.log 2>&1
for g in 64 68 65; do
  V1LM_FUSED_DIAG=$g V1LM_ADDON=$PWD/.cache/fdiag/v1lm.node timeout 100 node dist/bench/run.js W1 --trials 1 --out $OUT/json-$g > $OUT/probe-$g.txt 2>&1
  echo "diag $g: $(grep -c PROBE $OUT/probe-$g.txt) probe lines; $(grep -E '^ +W1 ' $OUT/probe-$g.txt | awk '{print $9,$10}')" >> $OUT/summary.txt
done
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
