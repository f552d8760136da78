#!/bin/bash
# v11 call A: gate of main f2df069 (parity incl. the pull-rows test + bench f32 / bf16), W1 / F phase profiles,
# ncu SASS of kNeuron (F) and kPush (W1), micro-benchmark of the push's memory pattern.
set -u
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
timeout 300 node .gpu/prebuild.mjs > $OUT/prebuild.log 2>&1 &
PB=$!
SKIP_BENCH=1 bash scripts/gpu-run.sh > $OUT/summary.txt 2>&1
wait $PB
timeout 60 .gpu/atomics > $OUT/atomics.txt 2>&1
b() { # name args...
  local n=$1; shift
  timeout 150 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | awk '{print $1, $12, $13, $14, $15, $18}' | tr '\n' ';')" >> $OUT/summary.txt
}
b f32 W1 W2 F --trials 10
b bf16 W1 W2 --trials 10 --adjoint_precision bfloat16
V1LM_CUDA_PROFILE=1 timeout 60 node dist/bench/run.js W1 F --trials 3 --out $OUT/json-prof > $OUT/prof-out.txt 2> $OUT/prof-err.txt
grep -h "v1lm cuda" $OUT/prof-err.txt | cut -c1-200 >> $OUT/summary.txt
NCU=/usr/local/cuda/bin/ncu
sass() { $NCU -i $1.ncu-rep --page source --csv --print-source sass 2>/dev/null | gzip > $1-sass.csv.gz; }
V1LM_CUDA_GRAPHS=0 timeout 150 $NCU --target-processes all -k regex:kNeuron --launch-skip 1200 --launch-count 1 --set full --import-source yes -o $OUT/ncu-kneuron-f node dist/bench/run.js F --trials 1 --out $OUT/json-ncu > $OUT/ncu-kneuron-f.txt 2>&1
$NCU -i $OUT/ncu-kneuron-f.ncu-rep > $OUT/ncu-kneuron-f-details.txt 2>&1; sass $OUT/ncu-kneuron-f
grep -E "Duration|L2 Cache Throughput|DRAM Throughput|Achieved Occupancy|Registers Per|Warp Cycles Per Issued|Executed Instructions  " $OUT/ncu-kneuron-f-details.txt | head -10 >> $OUT/summary.txt
V1LM_CUDA_GRAPHS=0 timeout 100 $NCU --target-processes all -k regex:kPush --launch-skip 300 --launch-count 1 --set full --import-source yes -o $OUT/ncu-kpush-w1 node dist/bench/run.js W1 --trials 1 --out $OUT/json-ncu > $OUT/ncu-kpush-w1.txt 2>&1
$NCU -i $OUT/ncu-kpush-w1.ncu-rep > $OUT/ncu-kpush-w1-details.txt 2>&1; sass $OUT/ncu-kpush-w1
grep -E "Duration|Achieved Occupancy|Warp Cycles Per Issued|Executed Instructions  " $OUT/ncu-kpush-w1-details.txt | head -6 >> $OUT/summary.txt
rm -f $OUT/*.ncu-rep
cat $OUT/atomics.txt >> $OUT/summary.txt
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
