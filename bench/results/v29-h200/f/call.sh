#!/bin/bash
# v29 call F (nvidia-h200): the floors' rates on the H200 — rates.cu (HBM read and copy; scattered fp32 REDs into
# 1–104 MB) and v26's boundary.cu (a dependent kernel boundary in a graph), both built here with
# `nvcc -O3 -arch=sm_90 -std=c++17` and carried in .cache/.
set -u
nvidia-smi --query-gpu=name,memory.total,driver_version,clocks.max.sm,clocks.max.mem --format=csv > $OUT/machine.txt 2>&1
timeout 150 .cache/rates > $OUT/rates.txt 2>&1; echo "rates exit $?" >> $OUT/summary.txt
timeout 150 .cache/boundary > $OUT/boundary.txt 2>&1; echo "boundary exit $?" >> $OUT/summary.txt
cat $OUT/machine.txt $OUT/rates.txt $OUT/boundary.txt $OUT/summary.txt
