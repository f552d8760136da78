#!/bin/bash
# v28 call C (nvidia-h200): fp (call A/B's split push); f16 = fp + kStep's spike rows walked 16 synapses per lane in
# flight (a 760-synapse row in 2 round trips, not 6); f16s = f16 + 8 LGN stagers (staging slots) for batches 1-2;
# sf16 = f16 + kStep's stamps. Parity and LGN of f16s; W1 x3 interleaved; stamps of sf16 x2.
set -u
for v in fp f16 f16s sf16; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
node dist/bench/run.js W1 --build_only > $OUT/prebuild.log 2>&1 &
export V1LM_ADDON=$PWD/.cache/f16s/v1lm.node
timeout 200 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity-f16s.log 2>&1
echo "parity f16s exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-f16s.log | tr '\n' ' ')" >> $OUT/summary.txt
grep -m5 -E 'AssertionError|Error|not ok' $OUT/parity-f16s.log >> $OUT/summary.txt
timeout 60 node --test --test-reporter=spec test/gpu/lgn-cuda.test.mjs > $OUT/lgn-f16s.log 2>&1
echo "lgn-cuda f16s exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/lgn-f16s.log | tr '\n' ' ')" >> $OUT/summary.txt
unset V1LM_ADDON
wait
b() { local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 120 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2 3; do for v in fp f16 f16s; do b $v-w1-$r $v W1 --trials 10; done; done
V1LM_CUDA_PROFILE=host b f16s-w1-prof f16s W1 --trials 10; grep "cuda forward" $OUT/progress-f16s-w1-prof.txt | tail -1 >> $OUT/summary.txt
for r in 1 2; do
  V1LM_STEP_STAMPS=$OUT/stamps-sf16-$r.bin b sf16-w1-$r sf16 W1 --trials 10
  python3 .gpu/stamps.py $OUT/stamps-sf16-$r.bin >> $OUT/summary.txt 2>&1
done
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
