#!/bin/bash
# v17 call M (H100): the fused forward with a grid-wide push (fusedD) — parity, LGN test, W1 / W2 / F against mainv17.
set -u
for v in mainv17 fusedD; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
timeout 300 node .gpu/prebuild.mjs > $OUT/prebuild.log 2>&1 &
PB=$!
export V1LM_ADDON=$PWD/.cache/fusedD/v1lm.node
timeout 100 node --test --test-reporter=spec test/gpu/parity.mjs > $OUT/parity-fusedD.log 2>&1
PRC=$?
echo "parity fusedD exit $PRC: $(grep -E '^ℹ (pass|fail)' $OUT/parity-fusedD.log | tr '\n' ' ')" >> $OUT/summary.txt
if [ $PRC -ne 0 ]; then kill $PB 2>/dev/null; cat $OUT/summary.txt; tail -40 $OUT/parity-fusedD.log; exit 0; fi
timeout 45 node --test --test-reporter=spec test/gpu/lgn-cuda.test.mjs > $OUT/lgn-cuda-fusedD.log 2>&1
echo "lgn-cuda fusedD exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/lgn-cuda-fusedD.log | tr '\n' ' ')" >> $OUT/summary.txt
unset V1LM_ADDON
wait $PB
b() { # name addon args...
  local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 90 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/; s/NVIDIA H100 80GB HBM3/H100/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
}
for r in 1 2; do for v in mainv17 fusedD; do b $v-w1-$r $v W1 --trials 10; done; done
for v in mainv17 fusedD; do V1LM_CUDA_PROFILE=1 b $v-prof $v W1 --trials 5; grep -h "cuda forward" $OUT/progress-$v-prof.txt | tail -1 | cut -c1-110 >> $OUT/summary.txt; done
for v in mainv17 fusedD; do b $v-w2f $v W2 F --trials 10; done
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
