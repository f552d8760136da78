#!/bin/bash
# v12 call B (prepared in the seventh session, not yet run): evict-first hints for kNeuron's per-batch state and
# the tapes (stream, branch exp-state-stream) against main (base): parity of stream, W1 / W2 / F float32 twice
# alternating, W2 bfloat16 once each (≈ 330 s).
set -u
for v in base stream; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
timeout 300 node .gpu/prebuild.mjs > $OUT/prebuild.log 2>&1 &
PB=$!
V1LM_ADDON=$PWD/.cache/stream/v1lm.node timeout 200 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity-stream.log 2>&1
echo "parity stream exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-stream.log | tr '\n' ' ')" >> $OUT/summary.txt
wait $PB
b() { # name addon args...
  local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 150 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | awk '{print $1, $12, $13, $14, $15, $18}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2; do for v in base stream; do b $v-$r $v W1 W2 F --trials 10; done; done
for v in base stream; do b $v-bf16 $v W2 --trials 10 --adjoint_precision bfloat16; done
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
