#!/bin/bash
# v34 call a: the GPU gate of main 96c8af8 (v33's review mend, host code: parity, LGN) and `stepskip` (a/stepskip-over-main.patch:
# the pull loads no adjoints of a pass step whose pending entry kNeuronAdj does not read and where pre did not
# spike, per step instead of per row): its parity and LGN test, then W2 and W1 main / stepskip in the order A B B A,
# W2 bfloat16 of both, and W2's device phases of both (V1LM_CUDA_PROFILE=1).
set -u
for v in main stepskip; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader > $OUT/machine.txt
timeout 200 node dist/bench/run.js W1 W2 --build_only > $OUT/prebuild.log 2>&1 &
PB=$!
PP=""
for v in main stepskip; do
  ( V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 300 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity-$v.log 2>&1; echo $? > $OUT/parity-$v.rc ) &
  PP="$PP $!"
done
wait $PP
for v in main stepskip; do
  echo "parity $v exit $(cat $OUT/parity-$v.rc): $(grep -E '^ℹ (pass|fail)' $OUT/parity-$v.log | tr '\n' ' ')" >> $OUT/summary.txt
  grep -m5 -E 'AssertionError|Error|not ok' $OUT/parity-$v.log >> $OUT/summary.txt
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 60 node --test --test-reporter=spec test/gpu/lgn-cuda.test.mjs > $OUT/lgn-$v.log 2>&1
  echo "lgn-cuda $v exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/lgn-$v.log | tr '\n' ' ')" >> $OUT/summary.txt
done
wait $PB
tail -1 $OUT/prebuild.log >> $OUT/summary.txt
b() { local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 100 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2> $OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16, $17}' | tr '\n' ';')" >> $OUT/summary.txt
}
b main-w2-1 main W2 --trials 5; b skip-w2-1 stepskip W2 --trials 5; b skip-w2-2 stepskip W2 --trials 5; b main-w2-2 main W2 --trials 5
b main-w1-1 main W1 --trials 10; b skip-w1-1 stepskip W1 --trials 10; b skip-w1-2 stepskip W1 --trials 10; b main-w1-2 main W1 --trials 10
b main-bf16 main W2 --trials 5 --adjoint_precision bfloat16; b skip-bf16 stepskip W2 --trials 5 --adjoint_precision bfloat16
for v in main stepskip; do
  V1LM_CUDA_PROFILE=1 V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 100 node dist/bench/run.js W2 --trials 2 > $OUT/bench-prof-$v.txt 2> $OUT/profile-$v.txt
  echo "profile $v: $(grep -i 'backward' $OUT/profile-$v.txt | tail -1 | cut -c1-300)" >> $OUT/summary.txt
done
cat $OUT/summary.txt
