#!/bin/bash
# v21 call E (H100): where W1's push spends its step — ncu of kPushRows (rows1) and of the same without atomics
# (rowsdiag, timing only); then W1 ×5 interleaved of main (fin) and pdl1 (programmatic dependent launches).
set -u
for v in fin pdl1 rows1 rowsdiag; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
timeout 200 node .gpu/prebuild-w1.mjs > $OUT/prebuild.log 2>&1
NCU=$(command -v ncu || ls /usr/local/cuda*/bin/ncu /opt/nvidia/nsight-compute/*/ncu 2>/dev/null | head -1)
n() { # name addon kernel skip
  V1LM_ADDON=$PWD/.cache/$2/v1lm.node V1LM_CUDA_GRAPHS=0 timeout 150 $NCU --target-processes all -k regex:$3 --launch-skip $4 --launch-count 1 --set full node dist/bench/run.js W1 --trials 1 --out $OUT/json-ncu > $OUT/ncu-$1.txt 2>&1
  echo "ncu $1 exit $?: $(grep -E '^ +Duration ' $OUT/ncu-$1.txt | head -1)" >> $OUT/summary.txt
}
for skip in 700 900; do n rows1-$skip rows1 kPushRows $skip; n rowsdiag-$skip rowsdiag kPushRows $skip; done
n pdl1-neuron pdl1 kNeuron 700
b() { # name addon args...
  local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 150 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/; s/NVIDIA H100 80GB HBM3/H100/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2 3 4 5; do
  b fin-w1-$r fin W1 --trials 10
  b pdl1-w1-$r pdl1 W1 --trials 10
done
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
