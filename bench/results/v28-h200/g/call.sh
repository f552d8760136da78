#!/bin/bash
# v28 call G (nvidia-h200): fc (main 0df5368) against fo = fc + the LGN chunks' uploads issued in chunk order (the
# copies still side by side); sfo = fo + kStep's stamps. Parity and LGN of fo; W1 x3 interleaved; stamps of sfo;
# F of fo and fc (its three stagers issue in order too).
set -u
for v in fc fo sfo; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
timeout 200 node dist/bench/run.js W1 W2 --build_only > $OUT/prebuild.log 2>&1 &
export V1LM_ADDON=$PWD/.cache/fo/v1lm.node
timeout 200 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity-fo.log 2>&1
echo "parity fo exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-fo.log | tr '\n' ' ')" >> $OUT/summary.txt
grep -m5 -E 'AssertionError|Error|not ok' $OUT/parity-fo.log >> $OUT/summary.txt
timeout 60 node --test --test-reporter=spec test/gpu/lgn-cuda.test.mjs > $OUT/lgn-fo.log 2>&1
echo "lgn-cuda fo exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/lgn-fo.log | tr '\n' ' ')" >> $OUT/summary.txt
unset V1LM_ADDON
wait
b() { local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 120 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2 3; do for v in fc fo; do b $v-w1-$r $v W1 --trials 10; done; done
V1LM_STEP_STAMPS=$OUT/stamps-sfo-1.bin b sfo-w1-1 sfo W1 --trials 10
python3 .gpu/stamps.py $OUT/stamps-sfo-1.bin >> $OUT/summary.txt 2>&1
for v in fo fc; do b $v-f $v F --trials 10; done
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
