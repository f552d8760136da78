#!/bin/bash
# v28 call D (nvidia-h200): f16s (call C) against ft = f16s + tagged list entries: the delay-1 push reads its entries
# without the list's count (every warp had loaded it from one address); sft = ft + kStep's stamps.
# Parity and LGN of ft; W1 x3 interleaved; stamps of sft x2; W2 and F of ft.
set -u
for v in f16s ft sft; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
timeout 200 node dist/bench/run.js W1 W2 --build_only > $OUT/prebuild.log 2>&1 &
export V1LM_ADDON=$PWD/.cache/ft/v1lm.node
timeout 200 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity-ft.log 2>&1
echo "parity ft exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-ft.log | tr '\n' ' ')" >> $OUT/summary.txt
grep -m5 -E 'AssertionError|Error|not ok' $OUT/parity-ft.log >> $OUT/summary.txt
timeout 60 node --test --test-reporter=spec test/gpu/lgn-cuda.test.mjs > $OUT/lgn-ft.log 2>&1
echo "lgn-cuda ft exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/lgn-ft.log | tr '\n' ' ')" >> $OUT/summary.txt
unset V1LM_ADDON
wait
b() { local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 120 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2 3; do for v in f16s ft; do b $v-w1-$r $v W1 --trials 10; done; done
V1LM_CUDA_PROFILE=host b ft-w1-prof ft W1 --trials 10; grep "cuda forward" $OUT/progress-ft-w1-prof.txt | tail -1 >> $OUT/summary.txt
for r in 1 2; do
  V1LM_STEP_STAMPS=$OUT/stamps-sft-$r.bin b sft-w1-$r sft W1 --trials 10
  python3 .gpu/stamps.py $OUT/stamps-sft-$r.bin >> $OUT/summary.txt 2>&1
done
b ft-w2 ft W2 --trials 10
b ft-f ft F --trials 10
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
