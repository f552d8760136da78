#!/bin/bash
# v12 call D (H200): which part of v12a made the forward slower on the H200 (call C): base (main), bkgw (fixed-
# width BKG in-lists), hoistR (bkgw + recurrent push row bounds in registers), both (bkgw + LGN lanes, the H100
# winner of call A), v12a (hoistR + warp-flattened LGN walk); W1 and F, two rounds alternating (≈ 430 s).
set -u
V="base bkgw hoistR both v12a"
for v in $V; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
timeout 300 node .gpu/prebuild.mjs > $OUT/prebuild.log 2>&1
b() { # name addon args...
  local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 150 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/; s/NVIDIA H100 80GB HBM3/H100/' | awk '{print $1, $9, $10, $11, $12, $15}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2; do for v in $V; do b $v-$r $v W1 F --trials 10; done; done
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
