#!/bin/bash
# v27 call B (nvidia-h200): ep = main + kStep's rows of delays ≥ 2 pushed before its wait (a ring of three input
# accumulators); ev = ep + v24's vr (the voltage-regularizer sum loaded after the wait, beside the state). Parity and
# LGN of ep and ev; W1 ×3 interleaved lg7 / ep / ev; W2 and F lg7 / ep (kPush<1>'s registers 32 → 40); C of lg7.
# The W2 and C networks are built beside the parity runs.
set -u
for v in lg7 ep ev; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version,clocks.max.sm,clocks.max.mem --format=csv > $OUT/machine.txt 2>&1
timeout 420 node .gpu/prebuild.mjs C > $OUT/prebuild-c.log 2>&1 &
PC=$!
timeout 200 node .gpu/prebuild.mjs W1 W2 > $OUT/prebuild.log 2>&1 &
PB=$!
for v in ep ev; do
  export V1LM_ADDON=$PWD/.cache/$v/v1lm.node
  timeout 150 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity-$v.log 2>&1
  echo "parity $v exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-$v.log | tr '\n' ' ')" >> $OUT/summary.txt
  grep -m5 -E 'AssertionError|Error|not ok' $OUT/parity-$v.log >> $OUT/summary.txt
  timeout 40 node --test --test-reporter=spec test/gpu/lgn-cuda.test.mjs > $OUT/lgn-$v.log 2>&1
  echo "lgn-cuda $v exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/lgn-$v.log | tr '\n' ' ')" >> $OUT/summary.txt
done
unset V1LM_ADDON
wait $PB
tail -1 $OUT/prebuild.log >> $OUT/summary.txt
b() { local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 120 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/; s/NVIDIA H100 80GB HBM3/H100/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2 3; do for v in lg7 ep ev; do b $v-w1-$r $v W1 --trials 10; done; done
for v in ep lg7; do b $v-w2 $v W2 --trials 10; done
for v in ep lg7; do b $v-f $v F --trials 10; done
wait $PC
tail -1 $OUT/prebuild-c.log >> $OUT/summary.txt
b lg7-c lg7 C --trials 5
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
