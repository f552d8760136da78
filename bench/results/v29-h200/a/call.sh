#!/bin/bash
# v29 call A (nvidia-h200): mend = main + the delayed blocks of each area and each block's index among them built once
# in the constructor (deviceView read them per call) + the first-row load of kStep's delays-≥ 2 push through the
# same SynapsesInFlight as its other rows. Parity and LGN of mend; W1 ×3 interleaved main / mend; W2, F, C of mend.
# The W2 and C networks are built beside the parity runs.
set -u
for v in main mend; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version,clocks.max.sm,clocks.max.mem --format=csv > $OUT/machine.txt 2>&1
timeout 420 node dist/bench/run.js C --build_only > $OUT/prebuild-c.log 2>&1 &
PC=$!
timeout 200 node dist/bench/run.js W1 W2 --build_only > $OUT/prebuild.log 2>&1 &
PB=$!
export V1LM_ADDON=$PWD/.cache/mend/v1lm.node
timeout 200 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity-mend.log 2>&1
echo "parity mend exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-mend.log | tr '\n' ' ')" >> $OUT/summary.txt
grep -m5 -E 'AssertionError|Error|not ok' $OUT/parity-mend.log >> $OUT/summary.txt
timeout 60 node --test --test-reporter=spec test/gpu/lgn-cuda.test.mjs > $OUT/lgn-mend.log 2>&1
echo "lgn-cuda mend exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/lgn-mend.log | tr '\n' ' ')" >> $OUT/summary.txt
unset V1LM_ADDON
wait $PB
tail -2 $OUT/prebuild.log >> $OUT/summary.txt
b() { local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 150 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/; s/NVIDIA H100 80GB HBM3/H100/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2 3; do for v in main mend; do b $v-w1-$r $v W1 --trials 10; done; done
b mend-w2 mend W2 --trials 10
b mend-f mend F --trials 10
wait $PC
tail -1 $OUT/prebuild-c.log >> $OUT/summary.txt
b mend-c mend C --trials 5
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
