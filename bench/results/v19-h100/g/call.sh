#!/bin/bash
# v19 call G (H100): the fast pull of batches 1–2 in quarter-warp rows (8 lanes per item, 4 items per warp:
# half the warps of the half-warp rows, so half the waves of a W1 pass) with 4 (q8i4) or 2 (q8i2) synapses per
# lane in flight, against main (r0 = ab63206, 16 lanes, 2 in flight): W1 ×3 interleaved, then the parity suite of both.
set -u
for v in r0 q8i4 q8i2; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
timeout 200 node .gpu/prebuild-w1.mjs > $OUT/prebuild.log 2>&1
b() { # name addon args...
  local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 150 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/; s/NVIDIA H100 80GB HBM3/H100/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2 3; do for v in r0 q8i4 q8i2; do b $v-w1-$r $v W1 --trials 10; done; done
for v in r0 q8i4 q8i2; do V1LM_CUDA_PROFILE=1 b $v-w1prof $v W1 --trials 3; done
p() { # addon
  V1LM_ADDON=$PWD/.cache/$1/v1lm.node timeout 280 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity-$1.log 2>&1
  echo "parity $1 exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-$1.log | tr '\n' ' ')" >> $OUT/summary.txt
}
p q8i4; p q8i2
cat $OUT/summary.txt
grep -h "v1lm cuda backward" $OUT/progress-*-w1prof.txt | tail -9
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
