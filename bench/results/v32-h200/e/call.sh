#!/bin/bash
# v32 call e (prepared, not run: the session's device time was spent): where F's slow trials spend their time.
# d/ found F's trials from −9 to +15 % around their median, the first measured trial (the process's third forward)
# the slowest in every run, with the clocks steady (c/). Three runs of F on main with V1LM_CUDA_PROFILE=host (the
# engine's host marks of each forward call, step graphs kept): the trials' wall times (trialMs) beside the host marks
# of the same calls (the 2 warm-ups first) show whether a slow trial is slow inside the engine's call (which phase:
# the launch of the steps, the wait for the result vectors, the sync, the copies) or outside it (the JS side: the
# results' adoption, the garbage collector freeing the previous calls' ≈ 460 MB of results).
set -u
xz -dc .cache/main/v1lm.node.xz > .cache/main/v1lm.node
timeout 150 node dist/bench/run.js F --build_only > $OUT/prebuild.log 2>&1
tail -1 $OUT/prebuild.log >> $OUT/summary.txt
for r in 1 2 3; do
  V1LM_CUDA_PROFILE=host V1LM_ADDON=$PWD/.cache/main/v1lm.node timeout 60 node dist/bench/run.js F --trials 5 --out $OUT/json-f-$r > $OUT/bench-f-$r.txt 2> $OUT/profile-f-$r.txt
  echo "f-$r trials: $(node -e 'const fs=require("fs");const d=process.argv[1];const f=fs.readdirSync(d)[0];const r=JSON.parse(fs.readFileSync(d+"/"+f)).results[0];console.log(r.forwardMs.toFixed(1), "|", r.trialMs.forward.map(x=>x.toFixed(1)).join(" "))' $OUT/json-f-$r)" >> $OUT/summary.txt
  # each forward call's host marks (phase, ms; …) and their sum
  grep 'v1lm cuda forward' $OUT/profile-f-$r.txt | sed 's/.*| host://' | awk -F';' '{s=0; for(i=1;i<NF;i++){n=split($i,w," "); s+=w[n-1]}; printf "  call %d: %.1f ms in the marks:%s\n", NR, s, $0}' >> $OUT/summary.txt
done
cat $OUT/summary.txt
