#!/bin/bash
# v19 call C (H100): the gate of main 2f62cec (v19 = the pull's rows of unread pending entries skipped, kLiveSteps
# with 4 batch elements in flight): parity (14 cases), the LGN GPU test, then W1 ×2, W2 ×2 (and review, main
# before v19, once), W2 bfloat16, F, C; a device-phase profile of W2. The full column's network is built first,
# beside the parity runs only.
set -u
for v in review v19; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
timeout 420 node .gpu/prebuild-c.mjs > $OUT/prebuild-c.log 2>&1 &
PC=$!
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
p v19 lgn
wait $PB; wait $PC
b() { # name addon args...
  local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 150 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/; s/NVIDIA H100 80GB HBM3/H100/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2; do b v19-w1-$r v19 W1 --trials 10; done
b review-1 review W2 --trials 10
for r in 1 2; do b v19-$r v19 W2 --trials 10; done
b v19-bf16 v19 W2 --trials 10 --adjoint_precision bfloat16
b v19-F v19 F --trials 10
b v19-C v19 C --trials 5
V1LM_CUDA_PROFILE=1 b v19-prof v19 W2 --trials 3
cat $OUT/summary.txt
grep -h "unread rows\|✖" $OUT/parity-v19.log | head -10
grep -h "v1lm cuda backward" $OUT/progress-v19-prof.txt | tail -2
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
