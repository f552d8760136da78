#!/bin/bash
# v19 call B (H100): kNeuronAdj blocks of 32 neurons × B for B = 6 (adj6, on live): parity + LGN test; the
# unread-rows case (now read and unread steps in both orders) on live and on two wrong builds (livebug: window one
# step late; livebug2: only the pass's first step checked: both must fail); W2 review / live / adj6; C review / adj6.
set -u
for v in review live adj6 livebug livebug2; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
timeout 420 node .gpu/prebuild-c.mjs > $OUT/prebuild-c.log 2>&1 &
PC=$!
timeout 300 node .gpu/prebuild.mjs > $OUT/prebuild.log 2>&1 &
PB=$!
p() { # addon [lgn]
  export V1LM_ADDON=$PWD/.cache/$1/v1lm.node
  timeout 280 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity-$1.log 2>&1
  echo "parity $1 exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/parity-$1.log | tr '\n' ' ')" >> $OUT/summary.txt
  if [ -n "${2:-}" ]; then
    timeout 60 node --test --test-reporter=spec test/gpu/lgn-cuda.test.mjs > $OUT/lgn-cuda-$1.log 2>&1
    echo "lgn-cuda $1 exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/lgn-cuda-$1.log | tr '\n' ' ')" >> $OUT/summary.txt
  fi
  unset V1LM_ADDON
}
u() { # addon: the unread-rows case only
  V1LM_ADDON=$PWD/.cache/$1/v1lm.node timeout 120 node --test --test-reporter=spec --test-name-pattern unread test/gpu/parity.mjs > $OUT/unread-$1.log 2>&1
  echo "unread case $1 exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/unread-$1.log | tr '\n' ' ')" >> $OUT/summary.txt
}
p adj6 lgn
u live; u livebug; u livebug2
wait $PB; wait $PC
b() { # name addon args...
  local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 150 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/; s/NVIDIA H100 80GB HBM3/H100/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
}
for v in review live adj6; do b $v-1 $v W2 --trials 10; done
b adj6-2 adj6 W2 --trials 10
b review-C review C --trials 5
b adj6-C adj6 C --trials 5
cat $OUT/summary.txt
grep -h "unread rows\|✖" $OUT/unread-*.log | head -30
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
