#!/bin/bash
# v18 call G (H100): the pull's synapse records loaded evict-first (ldcs: __ldcs in the pieces and the half-warp
# rounds) and, on top, dI in the L2 set-aside during the passes (diwin: an access-policy window over dI, hit
# ratio = set-aside / dI bytes) against main (pg3 = main d56512b): parity of both, W2 ×2, W1.
set -u
for v in pg3 ldcs diwin; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
timeout 300 node .gpu/prebuild.mjs > $OUT/prebuild.log 2>&1 &
PB=$!
p() { # addon
  export V1LM_ADDON=$PWD/.cache/$1/v1lm.node
  timeout 150 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity-$1.log 2>&1
  echo "parity $1 exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-$1.log | tr '\n' ' ')" >> $OUT/summary.txt
  unset V1LM_ADDON
}
p ldcs; p diwin
wait $PB
b() { # name addon args...
  local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 150 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/; s/NVIDIA H100 80GB HBM3/H100/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2; do for v in pg3 ldcs diwin; do b $v-$r $v W2 --trials 10; done; done
for v in pg3 ldcs diwin; do b $v-w1 $v W1 --trials 10; done
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
