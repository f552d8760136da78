#!/bin/bash
# v28 call E (nvidia-h200): ft (call D) against fc = ft + the delay-1 push's parameters loaded before its wait (a cold
# constant cache at every launch), 8 synapses per lane in flight; fc16 = fc with 16 (44 bytes spilled);
# sfc = fc + kStep's stamps. Parity and LGN of fc; W1 x3 interleaved; stamps of sfc x2.
set -u
for v in ft fc fc16 sfc; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
node dist/bench/run.js W1 --build_only > $OUT/prebuild.log 2>&1 &
export V1LM_ADDON=$PWD/.cache/fc/v1lm.node
timeout 200 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity-fc.log 2>&1
echo "parity fc exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-fc.log | tr '\n' ' ')" >> $OUT/summary.txt
grep -m5 -E 'AssertionError|Error|not ok' $OUT/parity-fc.log >> $OUT/summary.txt
timeout 60 node --test --test-reporter=spec test/gpu/lgn-cuda.test.mjs > $OUT/lgn-fc.log 2>&1
echo "lgn-cuda fc exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/lgn-fc.log | tr '\n' ' ')" >> $OUT/summary.txt
unset V1LM_ADDON
wait
b() { local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 120 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2 3; do for v in ft fc fc16; do b $v-w1-$r $v W1 --trials 10; done; done
for r in 1 2; do
  V1LM_STEP_STAMPS=$OUT/stamps-sfc-$r.bin b sfc-w1-$r sfc W1 --trials 10
  python3 .gpu/stamps.py $OUT/stamps-sfc-$r.bin >> $OUT/summary.txt 2>&1
done
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
