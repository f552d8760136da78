#!/bin/bash
# v35 call b: the full column (C: V1 230,924 + LM, batch 6, 500 steps) on main a32b11e's build, through
# scripts/gpu-run.sh (BENCH_WORKLOADS=C skips parity; 5 trials after 2 warm-ups).
BENCH_WORKLOADS=C BENCH_TRIALS=5 bash scripts/gpu-run.sh; echo "gpu-run exit $?"
