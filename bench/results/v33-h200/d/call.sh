#!/bin/bash
# v33 call d: the optimizer's blocks in one launch (upd, d/upd-over-main.patch; main = 3744e26, the dl8 of c/):
# its GPU gate (parity: compareUpdates runs Adam, exp-Adam and SGD over every block against the CPU; LGN), then W1
# and W2 main and upd in the order A B B A; last W2 of upd once under node --trace-gc, to see whether the garbage
# collector runs inside the timed calls (b/: W2's forward took ≈ 2.7 ms more than its host marks).
set -u
for v in main upd; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
timeout 200 node dist/bench/run.js W1 W2 --build_only > $OUT/prebuild.log 2>&1 &
PB=$!
V1LM_ADDON=$PWD/.cache/upd/v1lm.node timeout 260 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity-upd.log 2>&1
echo "parity upd exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-upd.log | tr '\n' ' ')" >> $OUT/summary.txt
grep -m5 -E 'AssertionError|Error|not ok' $OUT/parity-upd.log >> $OUT/summary.txt
grep -m3 -o 'update err [0-9.e+-]*' $OUT/parity-upd.log | tr '\n' ' ' >> $OUT/summary.txt; echo >> $OUT/summary.txt
V1LM_ADDON=$PWD/.cache/upd/v1lm.node timeout 60 node --test --test-reporter=spec test/gpu/lgn-cuda.test.mjs > $OUT/lgn-upd.log 2>&1
echo "lgn-cuda upd exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/lgn-upd.log | tr '\n' ' ')" >> $OUT/summary.txt
wait $PB
tail -2 $OUT/prebuild.log >> $OUT/summary.txt
b() { local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 100 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2> $OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16, $17}' | tr '\n' ';') update $(node -e 'const fs=require("fs");const d=process.argv[1];const f=fs.readdirSync(d)[0];const r=JSON.parse(fs.readFileSync(d+"/"+f)).results[0];console.log(r.trialMs.update.map(x=>x.toFixed(2)).join(" "))' $OUT/json-$n)" >> $OUT/summary.txt
}
b main-w1-1 main W1 --trials 10; b upd-w1-1 upd W1 --trials 10; b upd-w1-2 upd W1 --trials 10; b main-w1-2 main W1 --trials 10
b main-w2-1 main W2 --trials 5; b upd-w2-1 upd W2 --trials 5; b upd-w2-2 upd W2 --trials 5; b main-w2-2 main W2 --trials 5
V1LM_CUDA_PROFILE=host V1LM_ADDON=$PWD/.cache/upd/v1lm.node timeout 100 node --trace-gc dist/bench/run.js W2 --trials 5 --out $OUT/json-gc > $OUT/bench-gc.txt 2> $OUT/profile-gc.txt
echo "gc: $(grep -cE 'Mark-Compact|Scavenge' $OUT/bench-gc.txt) GC lines; $(grep -E 'Mark-Compact' $OUT/bench-gc.txt | tail -4 | sed -E 's/.*(Mark-Compact[^,]*, [0-9.]+ \/ [0-9.]+ ms).*/\1/' | tr '\n' ';')" >> $OUT/summary.txt
cat $OUT/summary.txt
