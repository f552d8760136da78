#!/bin/bash
# v33 call b: where W2's and W1's training trials spend their time on main after a/ (which found F's spread in the
# host's result pages and took it away with the huge pages): W2 twice and W1 once under V1LM_CUDA_PROFILE=host (the
# host marks of each forward and backward call, step graphs kept), W2 once under V1LM_CUDA_PROFILE=1 (device time
# per kernel, graphs off), and W2 with bfloat16 adjoints (the dI option, last measured in v14).
set -u
xz -dc .cache/main/v1lm.node.xz > .cache/main/v1lm.node
export V1LM_ADDON=$PWD/.cache/main/v1lm.node
timeout 200 node dist/bench/run.js W1 W2 --build_only > $OUT/prebuild.log 2>&1
tail -2 $OUT/prebuild.log >> $OUT/summary.txt
b() { local n=$1 prof=$2; shift 2
  V1LM_CUDA_PROFILE=$prof timeout 100 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2> $OUT/profile-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16, $17}' | tr '\n' ';')" >> $OUT/summary.txt
  echo "  trials: $(node -e 'const fs=require("fs");const d=process.argv[1];const f=fs.readdirSync(d)[0];const r=JSON.parse(fs.readFileSync(d+"/"+f)).results[0];const t=r.trialMs;console.log(["forward","backward","update"].map(k=>k+" "+t[k].map(x=>x.toFixed(1)).join(" ")).join(" | "))' $OUT/json-$n)" >> $OUT/summary.txt
  # the last forward and backward call's marks (phase, ms; …)
  for c in forward backward; do grep "v1lm cuda $c" $OUT/profile-$n.txt | tail -1 | sed "s/^/  last $c: /" >> $OUT/summary.txt; done
}
b w2-host-1 host W2 --trials 5
b w2-host-2 host W2 --trials 5
b w2-dev 1 W2 --trials 3
b w2-bf16 host W2 --trials 5 --adjoint_precision bfloat16
b w1-host host W1 --trials 10
cat $OUT/summary.txt
