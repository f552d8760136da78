#!/bin/bash
# v11 call B: push rows (push) and push rows + vreg prefetch (pushvreg, = build/Release) against main (base):
# parity of pushvreg, W1 / W2 / F float32 of all three (twice for base and pushvreg), W2 bfloat16, profiles.
set -u
for v in base push pushvreg; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
timeout 300 node .gpu/prebuild.mjs > $OUT/prebuild.log 2>&1 &
PB=$!
SKIP_BENCH=1 bash scripts/gpu-run.sh > $OUT/summary.txt 2>&1
wait $PB
b() { # name addon args...
  local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 150 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | awk '{print $1, $12, $13, $14, $15, $18}' | tr '\n' ';')" >> $OUT/summary.txt
}
b base base W1 W2 F --trials 10
b push push W1 W2 F --trials 10
b pushvreg pushvreg W1 W2 F --trials 10
b base-2 base W1 W2 F --trials 10
b pushvreg-2 pushvreg W1 W2 F --trials 10
b pushvreg-bf16 pushvreg W2 --trials 10 --adjoint_precision bfloat16
for v in base pushvreg; do
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node V1LM_CUDA_PROFILE=1 timeout 60 node dist/bench/run.js W1 W2 F --trials 3 --out $OUT/json-prof > $OUT/prof-$v-out.txt 2> $OUT/prof-$v-err.txt
  echo "prof $v: $(grep -h 'v1lm cuda forward' $OUT/prof-$v-err.txt | grep -oE '(neuron|push) [0-9.]+' | tr '\n' ' ')" >> $OUT/summary.txt
done
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
