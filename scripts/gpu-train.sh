#!/usr/bin/env bash
# GPU machine: the reference README's training command on the CUDA backend (issue "Training" must-show).
# Logs and a pruned copy of the results (config, metrics, loss curves, first/last epoch figures) go to $OUT.
# Env: TRAIN_TIMEOUT (s, default 420), EPOCHS (20), STEPS (10), EXTRA (more flags).
set -uo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-$PWD/gpu-out}
RUN=${RUN:-/tmp/v1lm-readme-run}
mkdir -p "$OUT"
rm -rf "$RUN"
# shellcheck disable=SC2086
timeout "${TRAIN_TIMEOUT:-420}" node dist/cli/main.js train --v1_neurons 10000 --lm_neurons 1500 --n_epochs "${EPOCHS:-20}" \
  --steps_per_epoch "${STEPS:-10}" --learning_rate 0.001 --rate_cost 100 --voltage_cost 1 --sync_cost 1 --osi_cost 1 \
  --train_recurrent_v1 --train_recurrent_lm --train_interarea_lm_v1 --train_interarea_v1_lm \
  --backend cuda --ckpt_dir "$RUN" ${EXTRA:-} >"$OUT/train.log" 2>&1
rc=$?
last=$(ls "$RUN/Boxplots/Ave_Rate(Hz)" 2>/dev/null | sed -nE 's/epoch_([0-9]+)_v1\.png/\1/p' | sort -n | tail -1)
keep=(config.json metrics_steps.csv metrics_epochs.csv Loss_curves)
for e in 1 "$last"; do
  [ -n "$e" ] || continue
  keep+=("Boxplots/Ave_Rate(Hz)/epoch_${e}_v1.png" "Boxplots/Ave_Rate(Hz)/epoch_${e}_lm.png" "Boxplots/Spontaneous/epoch_${e}_v1.png"
    "Boxplots/Spontaneous/epoch_${e}_lm.png" "Raster_plots/Full/Epoch_${e}_complete.png" "OneShotTuningAnalysis/Tuning_curves/v1/epoch_${e}.png")
done
(cd "$RUN" && tar czf "$OUT/train-results.tgz" --ignore-failed-read "${keep[@]}" 2>/dev/null)
echo "== train (exit $rc)"
grep -E '^(note|network|training|results|epoch [0-9]+:|done|stopped)' "$OUT/train.log" | cut -c1-220
grep -E 's/step' "$OUT/train.log" | tail -3
exit $rc
