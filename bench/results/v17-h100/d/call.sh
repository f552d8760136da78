#!/bin/bash
# v17 call D: the fused step's spike push (diagnostic addon fdiag; bits 4: no d = 1 rows, 8: loads without atomics) and ncu.
set -u
for v in main fdiag; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
[ -d bench/.networks ] || timeout 120 node .gpu/prebuild-w1.mjs > $OUT/prebuild.log 2>&1
b() { # name addon args...
  local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 150 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/; s/NVIDIA H100 80GB HBM3/H100/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
}
for g in 0 4 8 12; do V1LM_FUSED_DIAG=$g b fdiag$g-w1 fdiag W1 --trials 5; done
NCU=$(command -v ncu || ls /usr/local/cuda*/bin/ncu /opt/nvidia/nsight-compute/*/ncu 2>/dev/null | head -1)
n() { # name addon kernel skip
  V1LM_ADDON=$PWD/.cache/$2/v1lm.node V1LM_CUDA_GRAPHS=0 timeout 120 $NCU --target-processes all -k regex:$3 --launch-skip $4 --launch-count 1 --set full node dist/bench/run.js W1 --trials 1 --out $OUT/json-ncu > $OUT/ncu-$1.txt 2>&1
  echo "ncu $1 exit $?: $(grep -E '^ +Duration ' $OUT/ncu-$1.txt | head -1)" >> $OUT/summary.txt
}
n fused-step fdiag kStepFused 700
n main-push main kPush 700
n main-neuron main kNeuron 700
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
