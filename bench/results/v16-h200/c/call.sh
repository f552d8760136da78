#!/bin/bash
# v16 call C: dI's post rows padded from 3 to 4 steps (dialign, branch exp-di-aligned) and the same with the
# padded row of batches of 1–2 in 16-byte loads (dialignv, branch exp-di-aligned-vec), against main.
# Parity and the LGN GPU test of both; W1 / W2 twice alternating; W2 bfloat16 and C of main and dialign.
set -u
for v in main dialign dialignv; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
timeout 300 node .gpu/prebuild.mjs > $OUT/prebuild.log 2>&1 &
PB=$!
timeout 420 node .gpu/prebuild-c.mjs > $OUT/prebuild-c.log 2>&1 &
PC=$!
for v in dialign dialignv; do
  export V1LM_ADDON=$PWD/.cache/$v/v1lm.node
  timeout 150 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity-$v.log 2>&1
  echo "parity $v exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-$v.log | tr '\n' ' ')" >> $OUT/summary.txt
  timeout 60 node --test --test-reporter=spec test/gpu/lgn-cuda.test.mjs > $OUT/lgn-cuda-$v.log 2>&1
  echo "lgn-cuda $v exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/lgn-cuda-$v.log | tr '\n' ' ')" >> $OUT/summary.txt
done
unset V1LM_ADDON
wait $PB
b() { # name addon args...
  local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 150 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/; s/NVIDIA H100 80GB HBM3/H100/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2; do for v in main dialign dialignv; do b $v-$r $v W1 W2 --trials 10; done; done
for v in main dialign; do b $v-bf16 $v W2 --trials 10 --adjoint_precision bfloat16; done
wait $PC
for v in main dialign; do b $v-C $v C --trials 5; done
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
