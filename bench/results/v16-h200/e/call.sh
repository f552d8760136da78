#!/bin/bash
# v16 call E (H200): W1 of main after v16 (mainv16), kNeuron in blocks of 64 + 8 LGN units per warp (nsl) and
# 8 LGN units per warp alone (lgn8, branch exp-lgn-8units-only), three rounds alternating; parity and the LGN
# GPU test of lgn8.
set -u
for v in mainv16 nsl lgn8; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
timeout 100 node .gpu/prebuild-w1.mjs > $OUT/prebuild.log 2>&1 &
PB=$!
export V1LM_ADDON=$PWD/.cache/lgn8/v1lm.node
timeout 150 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity-lgn8.log 2>&1
echo "parity lgn8 exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-lgn8.log | tr '\n' ' ')" >> $OUT/summary.txt
timeout 60 node --test --test-reporter=spec test/gpu/lgn-cuda.test.mjs > $OUT/lgn-cuda-lgn8.log 2>&1
echo "lgn-cuda lgn8 exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/lgn-cuda-lgn8.log | tr '\n' ' ')" >> $OUT/summary.txt
unset V1LM_ADDON
wait $PB
b() { # name addon args...
  local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 150 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/; s/NVIDIA H100 80GB HBM3/H100/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2 3; do for v in mainv16 nsl lgn8; do b $v-w1-$r $v W1 --trials 10; done; done
V1LM_CUDA_PROFILE=1 b mainv16-prof mainv16 W1 --trials 5
V1LM_CUDA_PROFILE=1 b nsl-prof nsl W1 --trials 5
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
