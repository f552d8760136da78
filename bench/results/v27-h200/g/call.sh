#!/bin/bash
# v27 call G (nvidia-h200): hl = main 0f61b91 (rr) + persistent helper threads for the LGN stagers and the raster copier.
# Parity and LGN of hl; W1 ×3 interleaved rr / hl, hl's host phases; W2 and F rr / hl. The W2 network is built beside
# the parity run.
set -u
for v in rr hl; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version,clocks.max.sm,clocks.max.mem --format=csv > $OUT/machine.txt 2>&1
timeout 200 node .gpu/prebuild.mjs W1 W2 > $OUT/prebuild.log 2>&1 &
PB=$!
export V1LM_ADDON=$PWD/.cache/hl/v1lm.node
timeout 200 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity-hl.log 2>&1
echo "parity hl exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-hl.log | tr '\n' ' ')" >> $OUT/summary.txt
grep -m5 -E 'AssertionError|Error|not ok' $OUT/parity-hl.log >> $OUT/summary.txt
timeout 60 node --test --test-reporter=spec test/gpu/lgn-cuda.test.mjs > $OUT/lgn-hl.log 2>&1
echo "lgn-cuda hl exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/lgn-hl.log | tr '\n' ' ')" >> $OUT/summary.txt
unset V1LM_ADDON
wait $PB
tail -1 $OUT/prebuild.log >> $OUT/summary.txt
b() { local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 120 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/; s/NVIDIA H100 80GB HBM3/H100/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2 3; do for v in rr hl; do b $v-w1-$r $v W1 --trials 10; done; done
V1LM_CUDA_PROFILE=host b hl-w1-prof hl W1 --trials 10; grep "cuda forward" $OUT/progress-hl-w1-prof.txt | tail -2 >> $OUT/summary.txt
for v in hl rr; do b $v-w2 $v W2 --trials 10; done
for v in hl rr; do b $v-f $v F --trials 10; done
for v in hl rr; do b $v-w1-4 $v W1 --trials 10; done
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
