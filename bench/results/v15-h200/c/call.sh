#!/bin/bash
# v15 call C (prepared in the tenth session, not yet run): kPush's entry table without thread 0 (pushpro,
# branch exp-push-prologue on exp-push-batch: the active delayed blocks listed in NetDev, the spike counts
# loaded and scanned by warp 0, one barrier instead of three) against pushb: parity and the LGN GPU test of
# pushpro, W1 / W2 / F twice alternating (≈ 330 s with a fresh machine's builds).
set -u
for v in pushb pushpro; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
timeout 300 node .gpu/prebuild.mjs > $OUT/prebuild.log 2>&1 &
PB=$!
export V1LM_ADDON=$PWD/.cache/pushpro/v1lm.node
timeout 200 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity-pushpro.log 2>&1
echo "parity pushpro exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-pushpro.log | tr '\n' ' ')" >> $OUT/summary.txt
timeout 120 node --test --test-reporter=spec test/gpu/lgn-cuda.test.mjs > $OUT/lgn-cuda-pushpro.log 2>&1
echo "lgn-cuda pushpro exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/lgn-cuda-pushpro.log | tr '\n' ' ')" >> $OUT/summary.txt
wait $PB
b() { # name addon args...
  local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 200 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/; s/NVIDIA H100 80GB HBM3/H100/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2; do for v in pushb pushpro; do b $v-$r $v W1 W2 F --trials 10; done; done
V1LM_CUDA_PROFILE=1 b pushpro-prof pushpro W1 --trials 3
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
