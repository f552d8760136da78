#!/bin/bash
# v30 call E (nvidia-h200): rowpattern.cu (built here: nvcc -O3 -arch=sm_90 -std=c++17 -o .cache/rowpattern
# bench/results/v30-h200/e/rowpattern.cu, carried in .cache): kPush<1>'s walk on F-like synthetic rows, three target
# patterns × two item orders, two rounds (rowpattern.txt).
nvidia-smi --query-gpu=name,memory.total --format=csv,noheader
timeout 150 ./.cache/rowpattern | tee $OUT/rowpattern.txt
