#!/bin/bash
# v33 call a (prepared in v32 as its call e): the GPU gate of main with the result memory
# in huge pages (native/engine/large_pages.h, merged after the last call), and where F's slow trials spend their
# time. d/ found F's trials from −9 to +15 % around their median, the first measured trial (the process's third
# forward) the slowest in every run, with the clocks steady (c/). F four times under V1LM_CUDA_PROFILE=host (the
# engine's host marks of each forward call, step graphs kept), alternately with V1LM_LARGE_PAGES=0 (results in 4 KiB
# pages, as before) and without (huge pages), in the order A B B A: the trials' wall times (trialMs) beside the host
# marks of the same calls (the 2 warm-ups first) show whether a slow trial is slow inside the engine's call (which
# phase: the launch of the steps, the wait for the result vectors, the sync, the copies) or outside it (the JS side:
# the results' adoption, the garbage collector freeing the previous calls' ≈ 460 MB of results), and what huge
# pages change. Needs main's addon in .cache/main/.
set -u
xz -dc .cache/main/v1lm.node.xz > .cache/main/v1lm.node
timeout 150 node dist/bench/run.js F --build_only > $OUT/prebuild.log 2>&1 &
PB=$!
V1LM_ADDON=$PWD/.cache/main/v1lm.node timeout 260 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity-main.log 2>&1
echo "parity main exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-main.log | tr '\n' ' ')" >> $OUT/summary.txt
grep -m5 -E 'AssertionError|Error|not ok' $OUT/parity-main.log >> $OUT/summary.txt
V1LM_ADDON=$PWD/.cache/main/v1lm.node timeout 60 node --test --test-reporter=spec test/gpu/lgn-cuda.test.mjs > $OUT/lgn-main.log 2>&1
echo "lgn-cuda main exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/lgn-main.log | tr '\n' ' ')" >> $OUT/summary.txt
wait $PB
tail -1 $OUT/prebuild.log >> $OUT/summary.txt
f() { local n=$1 pages=$2
  V1LM_LARGE_PAGES=$pages V1LM_CUDA_PROFILE=host V1LM_ADDON=$PWD/.cache/main/v1lm.node timeout 60 node dist/bench/run.js F --trials 5 --out $OUT/json-$n > $OUT/bench-$n.txt 2> $OUT/profile-$n.txt
  echo "$n trials: $(node -e 'const fs=require("fs");const d=process.argv[1];const f=fs.readdirSync(d)[0];const r=JSON.parse(fs.readFileSync(d+"/"+f)).results[0];console.log(r.forwardMs.toFixed(1), "|", r.trialMs.forward.map(x=>x.toFixed(1)).join(" "))' $OUT/json-$n)" >> $OUT/summary.txt
  # each forward call's host marks (phase, ms; …) and their sum
  grep 'v1lm cuda forward' $OUT/profile-$n.txt | sed 's/.*| host://' | awk -F';' '{s=0; for(i=1;i<NF;i++){n=split($i,w," "); s+=w[n-1]}; printf "  call %d: %.1f ms in the marks:%s\n", NR, s, $0}' >> $OUT/summary.txt
}
f small-1 0; f huge-1 1; f huge-2 1; f small-2 0
cat $OUT/summary.txt
