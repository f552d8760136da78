#!/usr/bin/env bash
# GPU machine entry: builds the addon and the TS if needed, runs the CUDA parity tests (test/gpu, node:test)
# and the benchmark; every log lands under $OUT (default ./gpu-out); a short summary and the bench table last.
# The LGN CUDA test (test/gpu/lgn-cuda.test.mjs) runs after the parity suite, unless SKIP_PARITY.
# Env: BENCH_WORKLOADS (default "W1 W2 F"), BENCH_TRIALS (default 10), SKIP_PARITY=1, SKIP_BENCH=1,
# BENCH_NETWORK (built | synthetic, default built), BENCH_CACHE (built networks, default bench/.networks),
# BENCH_ARGS (more `v1lm bench` flags, e.g. "--adjoint_precision bfloat16"), PARITY_RUNS (default 2: parity
# processes side by side, since a race between the engine's streams showed only with another process on the GPU,
# docs/perf-notes.md v34; logs parity.log, parity-2.log, …).
# Full column: BENCH_WORKLOADS=C (its build alone takes minutes: parity is skipped and the bench gets 540 s).
set -uo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-$PWD/gpu-out}
mkdir -p "$OUT"
if [ ! -f build/Release/v1lm.node ]; then
  echo "building the addon (needs node_modules: cmake-js, node-addon-api)"
  node scripts/build-native.mjs --force >"$OUT/build.log" 2>&1 || { tail -n 30 "$OUT/build.log"; exit 1; }
fi
if [ ! -f dist/bench/run.js ]; then
  npx tsc -p . >"$OUT/tsc.log" 2>&1 || { tail -n 30 "$OUT/tsc.log"; exit 1; }
fi
{ node --version; nvidia-smi --query-gpu=name,memory.total,driver_version,clocks.sm,clocks.mem --format=csv; } >"$OUT/machine.txt" 2>&1
prc=0
brc=0
if [ "${BENCH_WORKLOADS:-}" = "C" ]; then
  SKIP_PARITY=${SKIP_PARITY:-1}
  BENCH_TIMEOUT=${BENCH_TIMEOUT:-540}
fi
parityLog() { if [ "$1" = 1 ]; then echo "$OUT/parity.log"; else echo "$OUT/parity-$1.log"; fi; }
if [ -z "${SKIP_PARITY:-}" ]; then
  pids=()
  for k in $(seq 1 "${PARITY_RUNS:-2}"); do
    json="$OUT/parity.json"
    [ "$k" = 1 ] || json="$OUT/parity-$k.json"
    V1LM_PARITY_JSON="$json" timeout "${PARITY_TIMEOUT:-300}" node --test --test-reporter=spec test/gpu/parity.mjs >"$(parityLog "$k")" 2>&1 &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do
    wait "$pid" || prc=1
  done
  timeout 120 node --test --test-reporter=spec test/gpu/lgn-cuda.test.mjs >"$OUT/lgn-cuda.log" 2>&1 || prc=1
fi
if [ -z "${SKIP_BENCH:-}" ]; then
  # shellcheck disable=SC2086
  timeout "${BENCH_TIMEOUT:-420}" node dist/bench/run.js ${BENCH_WORKLOADS:-W1 W2 F} --trials "${BENCH_TRIALS:-10}" --out "$OUT" \
    --network "${BENCH_NETWORK:-built}" --cache "${BENCH_CACHE:-bench/.networks}" ${BENCH_ARGS:-} >"$OUT/bench.log" 2>"$OUT/bench-progress.log"
  brc=$?
fi
echo "== machine"; cat "$OUT/machine.txt"
if [ -z "${SKIP_PARITY:-}" ]; then
  echo "== parity (exit $prc)"
  grep -E '^# [0-9]|^✔|^✖|^ℹ (tests|pass|fail)|Error|assert' "$OUT/parity.log" | head -n 40
  for k in $(seq 1 "${PARITY_RUNS:-2}"); do
    echo "-- parity run $k: $(grep -E '^ℹ (pass|fail)' "$(parityLog "$k")" | tr '\n' ' ')"
    grep -m 4 -E 'AssertionError' "$(parityLog "$k")"
  done
  echo "-- LGN CUDA test: $(grep -E '^ℹ (pass|fail)' "$OUT/lgn-cuda.log" | tr '\n' ' ')"
  grep -m 4 -E 'AssertionError' "$OUT/lgn-cuda.log"
fi
if [ -z "${SKIP_BENCH:-}" ]; then
  echo "== bench (exit $brc)"
  tail -n 8 "$OUT/bench-progress.log"
  tail -n 6 "$OUT/bench.log"
fi
exit $((prc | brc))
