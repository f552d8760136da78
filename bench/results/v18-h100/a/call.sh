#!/bin/bash
# v18 call A (H100): the pieces pull with the weight gradients in its walk (pgrad) against main (mainv17b) and
# the diagnostic without pieces weight gradients (nopgrad): SASS of both, parity of pgrad, W2 float32 / bfloat16.
set -u
for v in mainv17b pgrad nopgrad; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
timeout 300 node .gpu/prebuild.mjs > $OUT/prebuild.log 2>&1 &
PB=$!
for v in mainv17b pgrad; do (cuobjdump -sass .cache/$v/v1lm.node 2>&1 | gzip > $OUT/sass-$v.txt.gz) ; done
p() { # addon
  export V1LM_ADDON=$PWD/.cache/$1/v1lm.node
  timeout 150 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity-$1.log 2>&1
  echo "parity $1 exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-$1.log | tr '\n' ' ')" >> $OUT/summary.txt
  unset V1LM_ADDON
}
p pgrad
wait $PB
b() { # name addon args...
  local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 150 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/; s/NVIDIA H100 80GB HBM3/H100/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2; do
  b mainv17b-$r mainv17b W2 --trials 10
  b pgrad-$r pgrad W2 --trials 10
done
b nopgrad nopgrad W2 --trials 10
b mainv17b-bf16 mainv17b W2 --trials 10 --adjoint_precision bfloat16
b pgrad-bf16 pgrad W2 --trials 10 --adjoint_precision bfloat16
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz --exclude='sass-*' . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt ! -name 'sass-*' -delete; find . -type d -empty -delete
