#!/bin/bash
# v28 call F (nvidia-h200): fc (call E: 8 LGN stagers) against fc4 = fc with 4 stagers (main's count: with 8, the
# first chunks share the copy bandwidth and step 8 waited 360-384 us); fc16 = fc with 16 synapses per lane in flight;
# sfc4 = fc4 + kStep's stamps. Parity and LGN of fc4; W1 x3 interleaved; stamps of sfc4; W2 and F of fc4.
set -u
for v in fc fc4 fc16 sfc4; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
timeout 200 node dist/bench/run.js W1 W2 --build_only > $OUT/prebuild.log 2>&1 &
export V1LM_ADDON=$PWD/.cache/fc4/v1lm.node
timeout 200 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity-fc4.log 2>&1
echo "parity fc4 exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-fc4.log | tr '\n' ' ')" >> $OUT/summary.txt
grep -m5 -E 'AssertionError|Error|not ok' $OUT/parity-fc4.log >> $OUT/summary.txt
timeout 60 node --test --test-reporter=spec test/gpu/lgn-cuda.test.mjs > $OUT/lgn-fc4.log 2>&1
echo "lgn-cuda fc4 exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/lgn-fc4.log | tr '\n' ' ')" >> $OUT/summary.txt
unset V1LM_ADDON
wait
tail -2 $OUT/prebuild.log >> $OUT/summary.txt
b() { local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 120 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2 3; do for v in fc fc4 fc16; do b $v-w1-$r $v W1 --trials 10; done; done
V1LM_CUDA_PROFILE=host b fc4-w1-prof fc4 W1 --trials 10; grep "cuda forward" $OUT/progress-fc4-w1-prof.txt | tail -1 >> $OUT/summary.txt
V1LM_STEP_STAMPS=$OUT/stamps-sfc4-1.bin b sfc4-w1-1 sfc4 W1 --trials 10
python3 .gpu/stamps.py $OUT/stamps-sfc4-1.bin >> $OUT/summary.txt 2>&1
b fc4-w2 fc4 W2 --trials 10
b fc4-f fc4 F --trials 10
b fc4-w1-4 fc4 W1 --trials 10
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
