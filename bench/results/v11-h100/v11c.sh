#!/bin/bash
# v11 call C: L2 levers for the push: an access-policy window keeping I in the L2 set-aside (win), streaming
# loads of the push rows (ldcs), both (winldcs = build/Release), against pushvreg and main (base).
set -u
for v in base pushvreg win ldcs winldcs; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
mkdir -p build/Release && cp .cache/winldcs/v1lm.node build/Release/v1lm.node
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
b pushvreg pushvreg W2 F --trials 10
b win win W2 F --trials 10
b ldcs ldcs W2 F --trials 10
b winldcs winldcs W1 W2 F --trials 10
b base base W1 W2 F --trials 10
b winldcs-bf16 winldcs W1 W2 --trials 10 --adjoint_precision bfloat16
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
