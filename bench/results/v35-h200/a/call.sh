#!/bin/bash
# v35 call a: the GPU gate of main a32b11e (addon built here from that source, carried as build/Release):
# scripts/gpu-run.sh as it stands — the parity suite in two processes side by side, the LGN CUDA test, then
# `v1lm bench` W1 W2 F, 10 trials each after 2 warm-ups, built networks.
bash scripts/gpu-run.sh; echo "gpu-run exit $?"
