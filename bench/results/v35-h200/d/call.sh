#!/bin/bash
# v35 call d: `nc` (d/nc-over-main.patch): the pull by pieces (batches ≥ 3) reads its synapse records and its
# adjoint pieces through the read-only data path (__ldg, ld.global.nc); both are written by earlier kernels and
# only read in kPull's pieces, which are not launched overlapping kNeuronAdj. Parity of nc and main side by side,
# then W2 main / nc A B B A (10 trials), W2 bfloat16 main / nc.
set -u
for v in head nc; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader > $OUT/machine.txt
PP=""
for v in head nc; do
  ( V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 300 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity-$v.log 2>&1; echo $? > $OUT/parity-$v.rc ) &
  PP="$PP $!"
done
wait $PP
for v in head nc; do
  echo "parity $v exit $(cat $OUT/parity-$v.rc): $(grep -E '^ℹ (pass|fail)' $OUT/parity-$v.log | tr '\n' ' ')" >> $OUT/summary.txt
  grep -m2 -E 'AssertionError' $OUT/parity-$v.log >> $OUT/summary.txt
done
b() { local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 150 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2> $OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16, $17}' | tr '\n' ';')" >> $OUT/summary.txt
}
b head-w2-1 head W2 --trials 10; b nc-w2-1 nc W2 --trials 10; b nc-w2-2 nc W2 --trials 10; b head-w2-2 head W2 --trials 10
b head-bf head W2 --trials 10 --adjoint_precision bfloat16; b nc-bf nc W2 --trials 10 --adjoint_precision bfloat16
cat $OUT/summary.txt
