#!/bin/bash
# v34 call f: scripts/gpu-run.sh with its parity in two processes side by side (PARITY_RUNS, default 2), on main's
# build (addon built here from main 4dc491b's source, carried as build/Release), bench skipped.
SKIP_BENCH=1 bash scripts/gpu-run.sh; echo "gpu-run exit $?"
