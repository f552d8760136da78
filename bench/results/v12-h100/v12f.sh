#!/bin/bash
# v12 call F (H100): v12 (fixed-width BKG in-lists, LGN row bounds in registers, dI layout in the constructor)
# against main (base): parity of v12, W1 / W2 / F float32 of each in two rounds
# alternating (≈ 320 s).
set -u
for v in base v12; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
timeout 330 node .gpu/prebuild.mjs > $OUT/prebuild.log 2>&1 &
PB=$!
export V1LM_ADDON=$PWD/.cache/v12/v1lm.node
timeout 200 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity-v12.log 2>&1
echo "parity v12 exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-v12.log | tr '\n' ' ')" >> $OUT/summary.txt
wait $PB
b() { # name addon args...
  local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 200 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/; s/NVIDIA H100 80GB HBM3/H100/' | awk '{print $1, $9, $10, $11, $12, $15}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2; do for v in base v12; do b $v-$r $v W1 W2 F --trials 10; done; done
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
