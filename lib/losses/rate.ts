/** Firing-rate distribution loss (SPEC §10.1, `SpikeRateDistributionTarget`). */
import { V1lmError } from '../errors.js'
import { CELL_TYPES, type CellType } from './celltypes.js'
import { LossRng } from './rng.js'
import { checkBin, checkCounts, checkNeuronIndices, type LossResult, type SpikeCounts } from './observables.js'

/** κ of the Huber-quantile loss, spikes/ms (SPEC §10.1). */
export const HUBER_KAPPA = 0.002

export interface RateTypeTarget {
  cellType: CellType
  /** Model neurons of this type (indices into the area), after the core/annulus restriction. */
  neurons: Int32Array
  /** m target rates (spikes/ms), ascending. */
  sortedTargets: Float64Array
}

export interface RateTargets {
  types: RateTypeTarget[]
  /** Σ_types m: the normaliser of the loss. */
  totalNeurons: number
  /** Cell types with model neurons but no Neuropixels rates (they get no rate loss). */
  missingTypes: CellType[]
}

/**
 * Inverse-CDF sampling of m target rates from an empirical sample (SPEC §10.1): sort the sample (length k),
 * percentiles linspace(0, 1, k), m uniforms, linear interpolation, sorted ascending.
 */
export function sampleTargetRates(empirical: ArrayLike<number>, m: number, rng: LossRng): Float64Array {
  const sorted = Float64Array.from(empirical).sort()
  const k = sorted.length
  if (k === 0) throw new V1lmError('E_BAD_ARGUMENT', 'empirical rate sample is empty', 'rates')
  const out = new Float64Array(m)
  for (let j = 0; j < m; j++) {
    const u = rng.uniform()
    if (k === 1) {
      out[j] = sorted[0]
      continue
    }
    const x = u * (k - 1)
    const i = Math.min(Math.floor(x), k - 2)
    out[j] = sorted[i] + (x - i) * (sorted[i + 1] - sorted[i])
  }
  return out.sort()
}

export interface BuildRateTargetsOptions {
  /** Per-neuron index into CELL_TYPES (see cellTypeIndices). */
  cellTypeOfNeuron: Int8Array
  /** Empirical rates in Hz per cell type (NaN already dropped), e.g. from loadRateSamples(). */
  ratesHz: Partial<Record<CellType, readonly number[]>>
  /** Restrict to these neurons (core or annulus mask); all neurons when absent. */
  neurons?: Int32Array
  /** Seed of the target sampling; every type restarts the same stream, as the reference does. */
  seed: number
  /** `rates_dampening` (1.0). */
  dampening?: number
}

/**
 * Builds per-type target vectors once (SPEC §10.1): rates / 1000 (→ spikes/ms) with a 0 appended, inverse-CDF
 * sampled for the m model neurons of the type, × dampening.
 */
export function buildRateTargets(o: BuildRateTargetsOptions): RateTargets {
  const n = o.cellTypeOfNeuron.length
  const pool = o.neurons ?? Int32Array.from({ length: n }, (_, i) => i)
  checkNeuronIndices(pool, n, 'neurons')
  const byType: number[][] = CELL_TYPES.map(() => [])
  for (const i of pool) byType[o.cellTypeOfNeuron[i]].push(i)
  const types: RateTypeTarget[] = []
  const missingTypes: CellType[] = []
  let totalNeurons = 0
  CELL_TYPES.forEach((cellType, k) => {
    const ids = byType[k]
    if (ids.length === 0) return
    const hz = o.ratesHz[cellType]
    if (!hz || hz.length === 0) {
      missingTypes.push(cellType)
      return
    }
    const sample = [...hz.map((r) => r / 1000), 0]
    const targets = sampleTargetRates(sample, ids.length, new LossRng(o.seed))
    const damp = o.dampening ?? 1
    for (let j = 0; j < targets.length; j++) targets[j] *= damp
    types.push({ cellType, neurons: Int32Array.from(ids), sortedTargets: targets })
    totalNeurons += ids.length
  })
  return { types, totalNeurons, missingTypes }
}

/** Huber-quantile loss ℓ(u; τ, κ) and dℓ/du (SPEC §10.1). */
export function huberQuantile(u: number, tau: number, kappa = HUBER_KAPPA): [number, number] {
  const w = Math.abs(tau - (u <= 0 ? 1 : 0))
  const a = Math.abs(u)
  if (a <= kappa) return [(w * u * u) / (2 * kappa), (w * u) / kappa]
  return [w * (a - kappa / 2), w * Math.sign(u)]
}

export interface RateLossOptions {
  /** `rate_cost` (× 0.1 for the annulus term). */
  cost: number
  /** Which bin of the counts holds [pre, T − post) (default 0). */
  bin?: number
  /** Draws the per-call permutation that breaks ties before the sort. */
  rng: LossRng
}

/**
 * L = cost · Σ_types Σ_j ℓ(s_j − target_j; (j+1)/m) / Σ_types m, s = ascending model rates of the type after a
 * random permutation; rate_i = mean over batch and bin steps (spikes/ms). Adjoint = dL/dcount (same shape).
 */
export function rateDistributionLoss(counts: SpikeCounts, targets: RateTargets, o: RateLossOptions): LossResult & { rates: Float64Array } {
  checkCounts(counts)
  const bin = o.bin ?? 0
  checkBin(counts, bin)
  const { batch: B, bins, neurons: n, binSteps } = counts
  const rates = new Float64Array(n)
  for (let b = 0; b < B; b++) {
    const base = (b * bins + bin) * n
    for (let i = 0; i < n; i++) rates[i] += counts.data[base + i]
  }
  const scale = 1 / (B * binSteps)
  for (let i = 0; i < n; i++) rates[i] *= scale
  const dRate = new Float64Array(n)
  let total = 0
  for (const t of targets.types) {
    const m = t.neurons.length
    if (t.sortedTargets.length !== m) throw new V1lmError('E_BAD_ARGUMENT', `rate targets of ${t.cellType}: ${t.sortedTargets.length} targets for ${m} neurons`, 'targets')
    const perm = o.rng.shuffle(Int32Array.from(t.neurons))
    const order = Array.from(perm).sort((a, c) => rates[a] - rates[c]) // stable: ties keep the random order
    for (let j = 0; j < m; j++) {
      const [l, g] = huberQuantile(rates[order[j]] - t.sortedTargets[j], (j + 1) / m)
      total += l
      dRate[order[j]] += g
    }
  }
  const norm = targets.totalNeurons > 0 ? o.cost / targets.totalNeurons : 0
  const adjoint = new Float32Array(counts.data.length)
  for (let b = 0; b < B; b++) {
    const base = (b * bins + bin) * n
    for (let i = 0; i < n; i++) adjoint[base + i] = dRate[i] * norm * scale
  }
  return { value: total * norm, adjoint, rates }
}
