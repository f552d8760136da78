#!/bin/bash
# v29 call G (nvidia-h200): the bench's new columns on the GPU (main 912c854, kernels as 75db9d6): W1, 5 trials.
source .device/gpu-env.sh; xz -dc .cache/main/v1lm.node.xz > .cache/main/v1lm.node; V1LM_ADDON=$PWD/.cache/main/v1lm.node timeout 120 node dist/bench/run.js W1 --trials 5 --out $OUT/json 2>$OUT/progress.txt | tail -3
