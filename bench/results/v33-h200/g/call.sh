#!/bin/bash
# v33 call g: W1 on main's final build (2eba05d, comments only after e/): device time per phase of its forward and
# backward (V1LM_CUDA_PROFILE=1, graphs off, with the backward's new marks), its host marks with the graphs
# (V1LM_CUDA_PROFILE=host), and W1 with bfloat16 adjoints.
set -u
xz -dc .cache/main/v1lm.node.xz > .cache/main/v1lm.node
export V1LM_ADDON=$PWD/.cache/main/v1lm.node
timeout 60 node dist/bench/run.js W1 --build_only > $OUT/prebuild.log 2>&1
b() { local n=$1 prof=$2; shift 2
  V1LM_CUDA_PROFILE=$prof timeout 60 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2> $OUT/profile-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16, $17}' | tr '\n' ';')" >> $OUT/summary.txt
  for c in forward backward; do grep "v1lm cuda $c" $OUT/profile-$n.txt | tail -1 | sed "s/^/  last $c: /" >> $OUT/summary.txt; done
}
b w1-dev 1 W1 --trials 10
b w1-host host W1 --trials 10
b w1-bf16 host W1 --trials 10 --adjoint_precision bfloat16
cat $OUT/summary.txt
