#!/bin/bash
# v32 call d: F on main four times, each a fresh process, with every trial's time (the bench JSON's trialMs):
# whether F's spread between runs (320–377 ms in a/–c/, clocks at 1980 MHz throughout c/) lies within a
# process's trials or between processes.
set -u
xz -dc .cache/main/v1lm.node.xz > .cache/main/v1lm.node
timeout 150 node dist/bench/run.js F --build_only > $OUT/prebuild.log 2>&1
tail -1 $OUT/prebuild.log >> $OUT/summary.txt
for r in 1 2 3 4; do
  V1LM_ADDON=$PWD/.cache/main/v1lm.node timeout 45 node dist/bench/run.js F --trials 5 --out $OUT/json-f-$r > $OUT/bench-f-$r.txt 2>>$OUT/progress-f-$r.txt
  echo "f-$r: $(node -e 'const fs=require("fs");const d=process.argv[1];const f=fs.readdirSync(d)[0];const r=JSON.parse(fs.readFileSync(d+"/"+f)).results[0];console.log(r.forwardMs.toFixed(1), r.trialMs.forward.map(x=>x.toFixed(1)).join(" "))' $OUT/json-f-$r)" >> $OUT/summary.txt
done
cat $OUT/summary.txt
