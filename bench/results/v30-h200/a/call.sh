#!/bin/bash
# v30 call A (nvidia-h200): where W2's and F's push goes, and two ways to cut its tail (batches ≥ 3, kPush<1>).
#  split2 = main + each spike row of kPush<1> walked by 2 warps (interleaved 32-synapse pieces).
#  lgnq = main + the LGN part of kPush as a warp per (32 units, batch element, quarter): each warp walks the rows of the
#         active units of 8 of its 32 lanes, so that a warp with several active long rows does not end the step.
#  twopush / twopush-lgnq (diagnostics, V1LM_CUDA_PROFILE=1): the spike rows and the LGN + BKG blocks in two launches,
#         each with its own device-time mark.
# Timing only (no parity in this call).
set -u
for v in main split2 lgnq twopush twopush-lgnq; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version,clocks.max.sm,clocks.max.mem --format=csv > $OUT/machine.txt 2>&1
timeout 200 node dist/bench/run.js W2 --build_only > $OUT/prebuild-w2.log 2>&1
tail -1 $OUT/prebuild-w2.log >> $OUT/summary.txt
b() { local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 100 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16, $17}' | tr '\n' ';')" >> $OUT/summary.txt
}
p() { local n=$1 v=$2; shift 2
  V1LM_CUDA_PROFILE=1 V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 100 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>$OUT/profile-$n.txt
  echo "$n: $(grep 'v1lm cuda forward' $OUT/profile-$n.txt | tail -1 | cut -c1-220)" >> $OUT/summary.txt
}
p prof-twopush-f twopush F --trials 2
p prof-twopush-lgnq-f twopush-lgnq F --trials 2
p prof-twopush-w2 twopush W2 --trials 2
for r in 1 2; do for v in main split2 lgnq; do b $v-f-$r $v F --trials 5; done; done
for v in main split2 lgnq; do b $v-w2 $v W2 --trials 5; done
cat $OUT/summary.txt
