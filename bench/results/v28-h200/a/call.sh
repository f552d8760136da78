#!/bin/bash
# v28 call A (nvidia-h200): hl = main after v27 (c39a1aa); vm = hl + the zero state's v built with the engine;
# fp = vm + kStep's push split: the delay-1 rows after the wait with their bounds in the lists (one round trip
# for count, entry and bounds), the rows of delays >= 2 loaded ahead of the wait, every push block releasing at once.
# Parity and LGN of fp and vm; W1 x3 interleaved hl / vm / fp; W2 and F of fp and hl. Networks built by
# `bench --build_only` beside the parity runs.
set -u
for v in hl vm fp; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version,clocks.max.sm,clocks.max.mem --format=csv > $OUT/machine.txt 2>&1
timeout 200 node dist/bench/run.js W1 W2 --build_only > $OUT/prebuild.log 2>&1 &
PB=$!
for v in fp vm; do
  export V1LM_ADDON=$PWD/.cache/$v/v1lm.node
  timeout 200 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity-$v.log 2>&1
  echo "parity $v exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-$v.log | tr '\n' ' ')" >> $OUT/summary.txt
  grep -m5 -E 'AssertionError|Error|not ok' $OUT/parity-$v.log >> $OUT/summary.txt
  timeout 60 node --test --test-reporter=spec test/gpu/lgn-cuda.test.mjs > $OUT/lgn-$v.log 2>&1
  echo "lgn-cuda $v exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/lgn-$v.log | tr '\n' ' ')" >> $OUT/summary.txt
  unset V1LM_ADDON
done
wait $PB
tail -2 $OUT/prebuild.log >> $OUT/summary.txt
b() { local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 120 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/; s/NVIDIA H100 80GB HBM3/H100/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2 3; do for v in hl vm fp; do b $v-w1-$r $v W1 --trials 10; done; done
V1LM_CUDA_PROFILE=host b fp-w1-prof fp W1 --trials 10; grep "cuda forward" $OUT/progress-fp-w1-prof.txt | tail -1 >> $OUT/summary.txt
for v in fp hl; do b $v-w2 $v W2 --trials 10; done
b fp-f fp F --trials 10
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
