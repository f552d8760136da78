#!/bin/bash
# v19 call E (H100): the fast pull's row bounds loaded beside the row's id (r0) against main v19, where they
# waited for the row's skip test: parity and LGN test of r0, W1 ×3, W2 ×2 interleaved, W2 bfloat16, profiles.
set -u
for v in v19 r0; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
timeout 300 node .gpu/prebuild.mjs > $OUT/prebuild.log 2>&1 &
PB=$!
p() { # addon [lgn]
  export V1LM_ADDON=$PWD/.cache/$1/v1lm.node
  timeout 280 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity-$1.log 2>&1
  echo "parity $1 exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-$1.log | tr '\n' ' ')" >> $OUT/summary.txt
  if [ -n "${2:-}" ]; then
    timeout 60 node --test --test-reporter=spec test/gpu/lgn-cuda.test.mjs > $OUT/lgn-cuda-$1.log 2>&1
    echo "lgn-cuda $1 exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/lgn-cuda-$1.log | tr '\n' ' ')" >> $OUT/summary.txt
  fi
  unset V1LM_ADDON
}
p r0 lgn
wait $PB
b() { # name addon args...
  local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 150 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/; s/NVIDIA H100 80GB HBM3/H100/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2 3; do for v in v19 r0; do b $v-w1-$r $v W1 --trials 10; done; done
for r in 1 2; do for v in v19 r0; do b $v-$r $v W2 --trials 10; done; done
for v in v19 r0; do b $v-bf16 $v W2 --trials 10 --adjoint_precision bfloat16; done
for v in v19 r0; do V1LM_CUDA_PROFILE=1 b $v-prof $v W2 --trials 3; V1LM_CUDA_PROFILE=1 b $v-w1prof $v W1 --trials 3; done
cat $OUT/summary.txt
grep -h "v1lm cuda backward" $OUT/progress-*prof.txt | tail -8
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
