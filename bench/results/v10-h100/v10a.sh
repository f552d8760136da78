#!/bin/bash
# v10 call A: gate (parity + bench of main, whose host changes since 3668a6f never ran here), G = 2 with
# bfloat16 dI, kNeuronAdj lanes A/B, validation time, ncu of kPull (W2 bf16) and kPush (F).
set -u
xz -dc .cache/lanes/v1lm.node.xz > .cache/lanes/v1lm.node
timeout 300 node .gpu/prebuild.mjs > $OUT/prebuild.log 2>&1 &
PB=$!
SKIP_BENCH=1 bash scripts/gpu-run.sh > $OUT/summary.txt 2>&1
timeout 60 node .gpu/validate-time.mjs > $OUT/validate.txt 2>&1
wait $PB
b() { # name args...
  local n=$1; shift
  timeout 120 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress.txt
  echo "$n: $(grep -E '^ +(W1|W2|F) ' $OUT/bench-$n.txt | awk '{print $1, $12, $13, $14, $15}' | tr '\n' ';')" >> $OUT/summary.txt
}
b f32 W1 W2 F --trials 10
b bf16 W1 W2 --trials 10 --adjoint_precision bfloat16
b bf16g2 W1 W2 --trials 10 --adjoint_precision bfloat16 --steps_per_pass 2
V1LM_ADDON=$PWD/.cache/lanes/v1lm.node timeout 100 node --test --test-reporter=spec --test-name-pattern="parity (2k|10k|6k)|bfloat16 adjoints (2k|6k)" test/gpu/parity.mjs > $OUT/lanes-parity.txt 2>&1
echo "lanes parity exit $?: $(grep -E '^ℹ (pass|fail)' $OUT/lanes-parity.txt | tr '\n' ' ')" >> $OUT/summary.txt
prof() { # name addon
  V1LM_ADDON=$2 V1LM_CUDA_PROFILE=1 timeout 60 node dist/bench/run.js W2 --trials 3 --adjoint_precision bfloat16 --out $OUT/json-prof > $OUT/$1-out.txt 2> $OUT/$1-err.txt
  echo "$1: neuronAdj $(grep -oE 'neuronAdj [0-9.]+' $OUT/$1-err.txt | awk '{print $2}' | sort -n | tr '\n' ' ')| pull $(grep -oE 'pull\+inputGrad [0-9.]+' $OUT/$1-err.txt | awk '{print $2}' | sort -n | tr '\n' ' ')" >> $OUT/summary.txt
}
prof base $PWD/build/Release/v1lm.node
prof lanes $PWD/.cache/lanes/v1lm.node
NCU=$(command -v ncu || ls /usr/local/cuda*/bin/ncu /opt/nvidia/nsight-compute/*/ncu 2>/dev/null | head -1)
echo "ncu: $NCU" >> $OUT/summary.txt
if [ -n "$NCU" ]; then
  V1LM_CUDA_GRAPHS=0 timeout 120 $NCU --target-processes all -k regex:kPull --launch-skip 250 --launch-count 1 --set full node dist/bench/run.js W2 --trials 1 --adjoint_precision bfloat16 --out $OUT/json-ncu > $OUT/ncu-kpull-w2-bf16.txt 2>&1
  grep -E "Duration|L2 Cache Throughput|DRAM Throughput|Achieved Occupancy|Registers Per|Warp Cycles Per Issued|L2 Hit Rate|L1/TEX Hit" $OUT/ncu-kpull-w2-bf16.txt | head -12 >> $OUT/summary.txt
  V1LM_CUDA_GRAPHS=0 timeout 150 $NCU --target-processes all -k regex:kPush --launch-skip 1200 --launch-count 1 --set full node dist/bench/run.js F --trials 1 --out $OUT/json-ncu > $OUT/ncu-kpush-f.txt 2>&1
  grep -E "Duration|L2 Cache Throughput|DRAM Throughput|Achieved Occupancy|Registers Per|Warp Cycles Per Issued|L2 Hit Rate" $OUT/ncu-kpush-f.txt | head -10 >> $OUT/summary.txt
fi
cat $OUT/validate.txt >> $OUT/summary.txt
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
