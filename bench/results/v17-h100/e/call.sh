#!/bin/bash
# v17 call E: the fused step's d = 1 rows (fdiag bits: 16 no L2 window, 32 only d = 1 rows, 8 no atomics) and ncu metrics per diag.
set -u
for v in main fdiag; do xz -dc .cache/$v/v1lm.node.xz > .cache/$v/v1lm.node; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > $OUT/machine.txt 2>&1
[ -d bench/.networks ] || timeout 120 node .gpu/prebuild-w1.mjs > $OUT/prebuild.log 2>&1
b() { # name addon args...
  local n=$1 v=$2; shift 2
  V1LM_ADDON=$PWD/.cache/$v/v1lm.node timeout 150 node dist/bench/run.js "$@" --out $OUT/json-$n > $OUT/bench-$n.txt 2>>$OUT/progress-$n.txt
  echo "$n: $(grep -E '^ +(W1|W2|F|C) ' $OUT/bench-$n.txt | sed 's/NVIDIA H200/H200/; s/NVIDIA H100 80GB HBM3/H100/' | awk '{print $1, $9, $10, $11, $12, $13, $14, $16}' | tr '\n' ';')" >> $OUT/summary.txt
}
for g in 0 16 32 40; do V1LM_FUSED_DIAG=$g b fdiag$g-w1 fdiag W1 --trials 5; done
NCU=$(command -v ncu || ls /usr/local/cuda*/bin/ncu /opt/nvidia/nsight-compute/*/ncu 2>/dev/null | head -1)
M=gpu__time_duration.sum,sm__cycles_active.max,sm__cycles_active.avg,lts__cycles_active.avg,lts__cycles_active.max,lts__t_sectors_op_red.sum,lts__t_sectors_op_read.sum,lts__t_sectors_op_write.sum,lts__t_sectors_op_atom.sum,l1tex__t_sectors_pipe_lsu_mem_local_op_st.sum,l1tex__t_sectors_pipe_lsu_mem_global_op_ld.sum,dram__bytes_read.sum,smsp__inst_executed.sum
for g in 0 1 8 12 32; do
  V1LM_FUSED_DIAG=$g V1LM_ADDON=$PWD/.cache/fdiag/v1lm.node V1LM_CUDA_GRAPHS=0 timeout 100 $NCU --target-processes all -k regex:kStepFused --launch-skip 700 --launch-count 3 --metrics $M node dist/bench/run.js W1 --trials 1 --out $OUT/json-ncu > $OUT/ncum-$g.txt 2>&1
done
V1LM_ADDON=$PWD/.cache/main/v1lm.node V1LM_CUDA_GRAPHS=0 timeout 100 $NCU --target-processes all -k regex:kPush --launch-skip 700 --launch-count 3 --metrics $M node dist/bench/run.js W1 --trials 1 --out $OUT/json-ncu > $OUT/ncum-mainpush.txt 2>&1
V1LM_FUSED_DIAG=8 V1LM_ADDON=$PWD/.cache/fdiag/v1lm.node V1LM_CUDA_GRAPHS=0 timeout 150 $NCU --target-processes all -k regex:kStepFused --launch-skip 700 --launch-count 1 --set full --import-source yes -o $OUT/step8 node dist/bench/run.js W1 --trials 1 --out $OUT/json-ncu > $OUT/ncu-step8-run.txt 2>&1
$NCU -i $OUT/step8.ncu-rep --page source --csv --print-source sass > $OUT/ncu-step8-sass.csv 2>&1
$NCU -i $OUT/step8.ncu-rep --page details > $OUT/ncu-step8.txt 2>&1
rm -f $OUT/step8.ncu-rep
for f in $OUT/ncum-*.txt; do echo "== $f"; grep -E "^\s+(gpu__|sm__|lts__|l1tex__|dram__|smsp__)" $f | awk '{print $1, $NF}' | sort | awk '{a[$1]=a[$1]" "$2} END {for (k in a) print k, a[k]}' | sort; done >> $OUT/summary.txt
cat $OUT/summary.txt
cd $OUT && tar czf /tmp/all.tgz . && mv /tmp/all.tgz . && find . -type f ! -name all.tgz ! -name summary.txt -delete; find . -type d -empty -delete
