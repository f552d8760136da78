/** OSI/DSI losses `crowd_osi` and `crowd_spikes`, and the EMA rate normalizer (SPEC §10.4). */
import { V1lmError } from '../errors.js'
import { CELL_TYPES, type CellType } from './celltypes.js'
import { checkBin, checkCounts, checkNeuronIndices, type LossResult, type SpikeCounts } from './observables.js'

/** Floor of the per-type mean rate and of the normalizer (spikes/ms). */
export const MIN_RATE = 0.0005
/** Initial EMA value for every neuron: 3 Hz. */
export const EMA_INITIAL = 0.003
export const EMA_DECAY = 0.95

export interface OsiDsiTypeTarget {
  cellType: CellType
  osi: number
  /** Absent where the recordings cannot measure direction selectivity (LM: 4 directions only); no DSI term. */
  dsi: number | null
}

export interface CrowdOsiTargets {
  /** Target types in CELL_TYPES (alphabetical) order; only types with a target. */
  types: OsiDsiTypeTarget[]
  /** Neurons entering the loss (core/annulus restriction applied) and their index into `types`. */
  neurons: Int32Array
  typeOfNeuron: Int32Array
  /** count_t: model neurons per target type. */
  counts: Float64Array
}

/**
 * Assigns model neurons to target types (SPEC §10.4). Neurons whose type has no target are left out
 * (the reference lumps them into type index 0, SPEC §15.10; v1lm follows the intent and drops them).
 */
export function buildCrowdOsiTargets(cellTypeOfNeuron: Int8Array, targets: readonly OsiDsiTypeTarget[], neurons?: Int32Array): CrowdOsiTargets {
  const n = cellTypeOfNeuron.length
  const pool = neurons ?? Int32Array.from({ length: n }, (_, i) => i)
  checkNeuronIndices(pool, n, 'neurons')
  const types = [...targets].sort((a, b) => CELL_TYPES.indexOf(a.cellType) - CELL_TYPES.indexOf(b.cellType))
  const slot = new Map<number, number>()
  types.forEach((t, k) => slot.set(CELL_TYPES.indexOf(t.cellType), k))
  const ids: number[] = []
  const tix: number[] = []
  const counts = new Float64Array(types.length)
  for (const i of pool) {
    const k = slot.get(cellTypeOfNeuron[i])
    if (k === undefined) continue
    ids.push(i)
    tix.push(k)
    counts[k]++
  }
  return { types, neurons: Int32Array.from(ids), typeOfNeuron: Int32Array.from(tix), counts }
}

/** Per-area EMA of evoked rates, updated before the OSI loss on every evoked step; not differentiated. */
export class RateNormalizer {
  readonly values: Float32Array
  constructor(n: number, initial: Float32Array | number = EMA_INITIAL) {
    if (typeof initial === 'number') this.values = new Float32Array(n).fill(initial)
    else {
      if (initial.length !== n) throw new V1lmError('E_BAD_ARGUMENT', `rate normalizer has ${initial.length} values for ${n} neurons`, 'normalizer')
      this.values = Float32Array.from(initial)
    }
  }

  /** η ← 0.95·η + 0.05·mean_{b, t∈bin} z (SPEC §10.4). */
  update(counts: SpikeCounts, bin = 0): void {
    checkCounts(counts)
    checkBin(counts, bin)
    const { batch: B, bins, neurons: n, binSteps } = counts
    if (n !== this.values.length) throw new V1lmError('E_BAD_ARGUMENT', `counts have ${n} neurons, normalizer ${this.values.length}`, 'counts')
    const mean = new Float64Array(n)
    for (let b = 0; b < B; b++) for (let i = 0; i < n; i++) mean[i] += counts.data[(b * bins + bin) * n + i]
    const s = (1 - EMA_DECAY) / (B * binSteps)
    for (let i = 0; i < n; i++) this.values[i] = EMA_DECAY * this.values[i] + s * mean[i]
  }
}

export interface CrowdOsiOptions {
  /** `osi_cost` (× 0.1 for the annulus term). */
  cost: number
  /** Stimulus direction per batch element, degrees. */
  stimulusAngleDeg: ArrayLike<number>
  /** Preferred direction φ_i per neuron of the area, degrees (`tuning_angle`). */
  tuningAngleDeg: ArrayLike<number>
  /** EMA normalizer values per neuron of the area (omit for raw rates). */
  normalizer?: Float32Array
  bin?: number
}

/** Shared checks of the two OSI losses; returns the bin used. */
function checkAngleInputs(counts: SpikeCounts, o: { bin?: number; stimulusAngleDeg: ArrayLike<number>; tuningAngleDeg: ArrayLike<number> }): number {
  checkCounts(counts)
  const bin = o.bin ?? 0
  checkBin(counts, bin)
  if (o.stimulusAngleDeg.length !== counts.batch) throw new V1lmError('E_BAD_ARGUMENT', `${o.stimulusAngleDeg.length} stimulus angles for batch ${counts.batch}`, 'stimulusAngleDeg')
  if (o.tuningAngleDeg.length !== counts.neurons) throw new V1lmError('E_BAD_ARGUMENT', `${o.tuningAngleDeg.length} tuning angles for ${counts.neurons} neurons`, 'tuningAngleDeg')
  return bin
}

/**
 * crowd_osi (SPEC §10.4, reference `crowd_osi_loss`): r_bi = mean_t z / max(η_i, 5e-4); per batch b and type t
 * D = max(mean r, 5e-4), O = mean(r cos 2Δ)/D, S = mean(r cos Δ)/D;
 * L = cost · mean_b Σ_t count_t [(O_bt − OSI*_t)² + (S_bt − DSI*_t)²] / Σ_t count_t.
 * (The reference squares per batch element, then averages over the batch.)
 */
export function crowdOsiLoss(counts: SpikeCounts, targets: CrowdOsiTargets, o: CrowdOsiOptions): LossResult & { osi: Float64Array; dsi: Float64Array } {
  const bin = checkAngleInputs(counts, o)
  const { batch: B, bins, neurons: n, binSteps } = counts
  if (o.normalizer && o.normalizer.length !== n) throw new V1lmError('E_BAD_ARGUMENT', `normalizer has ${o.normalizer.length} values for ${n} neurons`, 'normalizer')
  const K = targets.types.length
  const { neurons, typeOfNeuron, counts: cnt } = targets
  let totalCount = 0
  for (const c of cnt) totalCount += c
  const adjoint = new Float32Array(counts.data.length)
  const osi = new Float64Array(B * K)
  const dsi = new Float64Array(B * K)
  if (totalCount === 0) return { value: 0, adjoint, osi, dsi }
  const m = neurons.length
  const scale = new Float64Array(m) // dr/dcount
  for (let j = 0; j < m; j++) {
    const i = neurons[j]
    const eta = o.normalizer ? Math.max(o.normalizer[i], MIN_RATE) : 1
    scale[j] = 1 / (binSteps * eta)
  }
  const r = new Float64Array(m)
  const c2 = new Float64Array(m)
  const c1 = new Float64Array(m)
  let value = 0
  for (let b = 0; b < B; b++) {
    const base = (b * bins + bin) * n
    const A = new Float64Array(K)
    const P = new Float64Array(K)
    const Q = new Float64Array(K)
    for (let j = 0; j < m; j++) {
      const i = neurons[j]
      const delta = ((o.stimulusAngleDeg[b] - o.tuningAngleDeg[i]) * Math.PI) / 180
      r[j] = counts.data[base + i] * scale[j]
      c2[j] = Math.cos(2 * delta)
      c1[j] = Math.cos(delta)
      const k = typeOfNeuron[j]
      A[k] += r[j]
      P[k] += r[j] * c2[j]
      Q[k] += r[j] * c1[j]
    }
    const gO = new Float64Array(K) // dL/dO_bt
    const gS = new Float64Array(K)
    const D = new Float64Array(K)
    for (let k = 0; k < K; k++) {
      if (cnt[k] === 0) continue
      A[k] /= cnt[k]
      P[k] /= cnt[k]
      Q[k] /= cnt[k]
      D[k] = Math.max(A[k], MIN_RATE)
      const O = P[k] / D[k]
      const S = Q[k] / D[k]
      osi[b * K + k] = O
      dsi[b * K + k] = S
      const w = cnt[k] / (B * totalCount)
      const t = targets.types[k]
      value += w * (O - t.osi) ** 2
      gO[k] = 2 * w * (O - t.osi)
      if (t.dsi !== null) {
        value += w * (S - t.dsi) ** 2
        gS[k] = 2 * w * (S - t.dsi)
      }
    }
    for (let j = 0; j < m; j++) {
      const k = typeOfNeuron[j]
      const active = A[k] > MIN_RATE ? 1 : 0
      const dO = (c2[j] - active * (P[k] / D[k])) / (cnt[k] * D[k])
      const dS = (c1[j] - active * (Q[k] / D[k])) / (cnt[k] * D[k])
      adjoint[base + neurons[j]] = o.cost * (gO[k] * dO + gS[k] * dS) * scale[j]
    }
  }
  return { value: o.cost * value, adjoint, osi, dsi }
}

/** Δ = θ − φ folded to [−90, 90] degrees by the reference's two ±180 passes. */
export function foldedDeltaDeg(theta: number, phi: number): number {
  let d = theta - phi
  for (let pass = 0; pass < 2; pass++) {
    if (d > 90) d -= 180
    if (d < -90) d += 180
  }
  return d
}

export interface CrowdSpikesOptions {
  cost: number
  stimulusAngleDeg: ArrayLike<number>
  tuningAngleDeg: ArrayLike<number>
  /** `osi_loss_subtraction_ratio` (1.0; driver 0). */
  subtractionRatio: number
  /** Neurons entering the loss (core mask); all when absent. */
  neurons?: Int32Array
  bin?: number
}

/**
 * crowd_spikes (SPEC §10.4): cost · (mean_{b,i} |r_bi Δ_bi| − 45 · mean_{b,i} r_bi · ratio), Δ folded to [−90, 90].
 * d|x|/dx uses sign(0) = 0 as TF does, so silent neurons get only the subtraction term.
 */
export function crowdSpikesLoss(counts: SpikeCounts, o: CrowdSpikesOptions): LossResult {
  const bin = checkAngleInputs(counts, o)
  const { batch: B, bins, neurons: n, binSteps } = counts
  const ids = o.neurons ?? Int32Array.from({ length: n }, (_, i) => i)
  checkNeuronIndices(ids, n, 'neurons')
  const adjoint = new Float32Array(counts.data.length)
  if (ids.length === 0) return { value: 0, adjoint }
  const N = B * ids.length
  let absSum = 0
  let rateSum = 0
  for (let b = 0; b < B; b++) {
    const base = (b * bins + bin) * n
    for (const i of ids) {
      const r = counts.data[base + i] / binSteps
      const d = foldedDeltaDeg(o.stimulusAngleDeg[b], o.tuningAngleDeg[i])
      const x = r * d
      absSum += Math.abs(x)
      rateSum += r
      adjoint[base + i] = (o.cost * (Math.sign(x) * d - 45 * o.subtractionRatio)) / (N * binSteps)
    }
  }
  return { value: o.cost * (absSum / N - (45 * rateSum * o.subtractionRatio) / N), adjoint }
}
