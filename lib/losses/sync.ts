/** Synchronization (population Fano factor) loss (SPEC §10.5, `SynchronizationLoss`). */
import { V1lmError } from '../errors.js'
import type { LossRng } from './rng.js'
import type { FanoTarget } from './targets.js'
import { checkNeuronIndices, type LossResult, type NeuronSubsets, type PopulationTraces } from './observables.js'

/** Floor of the mean count in F = var / max(mean, ε). */
export const FANO_EPSILON = 1e-7
/** Subset-size distribution N(mean, sd), clipped to [15, pool size] (SPEC §10.5). */
export const SUBSET_SIZE = { v1: { mean: 70, sd: 30 }, lm: { mean: 33, sd: 14 } } as const
export const MIN_SUBSET = 15

export interface SynchronyConfig {
  /** Sampling pool: excitatory neurons (pop_name starting with "e"), core-restricted when core_loss applies. */
  pool: Int32Array
  /** Subset size distribution (SUBSET_SIZE.v1 / .lm). */
  size: { mean: number; sd: number }
  /** `fano_samples` (500). */
  samples: number
  /** Experimental curve and bin sizes; its window [startStep, endStep) is where the loss looks. */
  target: FanoTarget
  /** `sync_cost`. */
  cost: number
}

/** The K sampled subsets (requested from the engine as population traces) and the trial row each uses. */
export interface SynchronySample extends NeuronSubsets {
  trials: Int32Array
}

/**
 * Draws `samples` subsets before the forward pass (SPEC §10.5): trial ~ U{0..B−1}; size = clip(trunc(N(μ, σ)),
 * 15, pool); neurons consumed in order from a shuffled pool, the pool re-shuffled when the next subset does not fit.
 */
export function sampleSynchronySubsets(config: SynchronyConfig, batch: number, rng: LossRng): SynchronySample {
  const { pool, samples } = config
  if (pool.length === 0) throw new V1lmError('E_BAD_NETWORK', 'the synchrony loss needs excitatory neurons (pop_name starting with "e"); the area has none', 'pool')
  if (!Number.isInteger(batch) || batch < 1) throw new V1lmError('E_BAD_ARGUMENT', `batch must be a positive integer (got ${batch})`, 'batch')
  if (!Number.isInteger(samples) || samples < 1) throw new V1lmError('E_BAD_ARGUMENT', `fano_samples must be a positive integer (got ${samples})`, 'fano_samples')
  const trials = new Int32Array(samples)
  for (let k = 0; k < samples; k++) trials[k] = rng.int(batch)
  const sizes = new Int32Array(samples)
  for (let k = 0; k < samples; k++) {
    const s = Math.trunc(config.size.mean + config.size.sd * rng.normal())
    sizes[k] = Math.min(Math.max(s, MIN_SUBSET), pool.length)
  }
  const shuffled = rng.shuffle(Int32Array.from(pool))
  const offsets = new Int32Array(samples + 1)
  for (let k = 0; k < samples; k++) offsets[k + 1] = offsets[k] + sizes[k]
  const indices = new Int32Array(offsets[samples])
  let next = 0
  for (let k = 0; k < samples; k++) {
    if (next + sizes[k] > shuffled.length) {
      rng.shuffle(shuffled)
      next = 0
    }
    indices.set(shuffled.subarray(next, next + sizes[k]), offsets[k])
    next += sizes[k]
  }
  return { offsets, indices, trials }
}

/**
 * L = cost · mean_w (F_exp(w) − F_model(w))², F_model(w) = mean over subsets of var/max(mean, ε) of the
 * non-overlapping w-step bin counts of s_k(trial_k, t), t ∈ [start, end) (last partial bin dropped, ddof 0).
 * Adjoint: dL/ds_k(b, t), non-zero only on the subset's own trial row.
 */
export function synchronyLoss(traces: PopulationTraces, sample: SynchronySample, config: SynchronyConfig): LossResult & { fano: Float64Array } {
  const { batch: B, subsets: K, steps: T } = traces
  if (traces.data.length !== B * K * T) throw new V1lmError('E_BAD_ARGUMENT', `traces: length ${traces.data.length} is not batch ${B} × subsets ${K} × steps ${T}`, 'traces')
  if (K !== sample.trials.length) throw new V1lmError('E_BAD_ARGUMENT', `traces have ${K} subsets, the sample ${sample.trials.length}`, 'traces')
  checkNeuronIndices(sample.trials, B, 'trials')
  const { startStep, endStep, binSizesMs, fano: target } = config.target
  if (endStep > T) throw new V1lmError('E_BAD_ARGUMENT', `the Fano window ends at step ${endStep} but the trial has ${T} steps; build the target for this seq_len`, 'seq_len')
  const W = endStep - startStep
  const nw = binSizesMs.length
  const fano = new Float64Array(nw)
  const adjoint = new Float32Array(traces.data.length)
  if (nw === 0) return { value: 0, adjoint, fano }
  // Forward pass: per bin size and subset, F and the pieces its derivative needs.
  const mean = new Float64Array(nw * K)
  const ratio = new Float64Array(nw * K) // var / M²
  const floor = new Float64Array(nw * K) // M = max(mean, ε)
  for (let w = 0; w < nw; w++) {
    const size = binSizesMs[w]
    const nb = Math.floor(W / size)
    for (let k = 0; k < K; k++) {
      const row = (sample.trials[k] * K + k) * T + startStep
      let s1 = 0
      let s2 = 0
      for (let j = 0; j < nb; j++) {
        let c = 0
        for (let t = j * size; t < (j + 1) * size; t++) c += traces.data[row + t]
        s1 += c
        s2 += c * c
      }
      const mu = s1 / nb
      const v = Math.max(s2 / nb - mu * mu, 0)
      const M = Math.max(mu, FANO_EPSILON)
      mean[w * K + k] = mu
      floor[w * K + k] = M
      ratio[w * K + k] = v / (M * M)
      fano[w] += v / M / K
    }
  }
  let value = 0
  for (let w = 0; w < nw; w++) value += (target[w] - fano[w]) ** 2
  value *= config.cost / nw
  // Backward: dF/dc_j = 2(c_j − μ)/(nb·M) − 1[μ > ε]·var/(M²·nb), spread over the steps of bin j.
  for (let w = 0; w < nw; w++) {
    const gF = (config.cost * 2 * (fano[w] - target[w])) / nw / K
    const size = binSizesMs[w]
    const nb = Math.floor(W / size)
    for (let k = 0; k < K; k++) {
      const row = (sample.trials[k] * K + k) * T + startStep
      const mu = mean[w * K + k]
      const M = floor[w * K + k]
      const meanTerm = mu > FANO_EPSILON ? ratio[w * K + k] : 0
      for (let j = 0; j < nb; j++) {
        let c = 0
        for (let t = j * size; t < (j + 1) * size; t++) c += traces.data[row + t]
        const g = gF * ((2 * (c - mu)) / M - meanTerm) / nb
        for (let t = j * size; t < (j + 1) * size; t++) adjoint[row + t] += g
      }
    }
  }
  return { value, adjoint, fano }
}
