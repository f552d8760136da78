#!/bin/bash
# v18 call B (H100): the pieces weight gradients by predicated RED (one per spiking piece, no shuffles):
# pgradP (in the one loop) and pgradT (spiking rows in their own loop) against main (mainv17b) and pgrad
# (call A: shuffles, 2 in flight); parity of both; W2 float32 / bfloat16; a device-phase profile of main's W2;
# the SASS tools for local reading.
set -u
for v in mainv17b pgrad pgradP pgradT; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
timeout 300 node .gpu/prebuild.mjs > $OUT/prebuild.log 2>&1 &
PB=$!
mkdir -p $OUT/tools; for t in cuobjdump nvdisasm; do cp $(command -v $t || echo /usr/local/cuda/bin/$t) $OUT/tools/ 2>>$OUT/tools.log; done
ldd $OUT/tools/cuobjdump $OUT/tools/nvdisasm > $OUT/tools.log 2>&1
for v in pgradP pgradT; do cuobjdump -sass .cache/$v/v1lm.node 2>&1 | gzip > $OUT/sass-$v.txt.gz; done
p() { # addon
  export V1LM_ADDON=$PWD/.cache/$1/v1lm.node
  timeout 150 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity-$1.log 2>&1
  echo "parity $1 exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-$1.log | tr '\n' ' ')" >> $OUT/summary.txt
  unset V1LM_ADDON
}
p pgradP; p pgradT
wait $PB
b() { # name addon args...
  local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 150 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/; s/NVIDIA H100 80GB HBM3/H100/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2; do
  b mainv17b-$r mainv17b W2 --trials 10
  b pgradP-$r pgradP W2 --trials 10
  b pgradT-$r pgradT W2 --trials 10
done
b pgrad pgrad W2 --trials 10
b pgradP-bf16 pgradP W2 --trials 10 --adjoint_precision bfloat16
b pgradT-bf16 pgradT W2 --trials 10 --adjoint_precision bfloat16
V1LM_CUDA_PROFILE=1 b mainv17b-prof mainv17b W2 --trials 3
cat $OUT/summary.txt
grep -h "v1lm cuda" $OUT/progress-mainv17b-prof.txt | tail -4
cd $OUT && tar czf /tmp/all.tgz --exclude='sass-*' --exclude=tools . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt ! -name 'sass-*' ! -path './tools/*' -delete; find . -type d -empty -delete
