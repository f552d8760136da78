#!/bin/bash
# v20 call F (H100): kPush with items dealt block by block and its entry table from the host, counts scanned by warp 0 (dl2 = branch exp-push-dealt) against main (q8i4, main's
# kernels): W1 ×3 interleaved, W2, F; the parity suite and LGN GPU test of dl2.
set -u
for v in q8i4 dl1 dl2; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
timeout 200 node .gpu/prebuild.mjs > $OUT/prebuild.log 2>&1
b() { # name addon args...
  local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 150 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/; s/NVIDIA H100 80GB HBM3/H100/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2 3; do for v in q8i4 dl1 dl2; do b $v-w1-$r $v W1 --trials 10; done; done
for r in 1 2; do for v in q8i4 dl2; do b $v-w2-$r $v W2 --trials 10; done; done
for v in q8i4 dl2; do b $v-f $v F --trials 5; done
V1LM_CUDA_PROFILE=1 b dl2-w1prof dl2 W1 --trials 3
V1LM_ADDON=$PWD/.cache/dl2/v1lm.node timeout 150 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity-dl2.log 2>&1
echo "parity dl2 exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-dl2.log | tr '\n' ' ')" >> $OUT/summary.txt
V1LM_ADDON=$PWD/.cache/dl2/v1lm.node timeout 100 node --test --test-reporter=spec test/gpu/lgn-cuda.test.mjs > $OUT/lgn.log 2>&1; echo "lgn-cuda dl2 exit $?: $(grep -E "^ℹ (pass|fail)" $OUT/lgn.log | tr "\n" " ")" >> $OUT/summary.txt
cat $OUT/summary.txt
grep -h "v1lm cuda forward" $OUT/progress-dl2-w1prof.txt | tail -1 | cut -c1-120
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
