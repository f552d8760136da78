/**
 * Temporal part of the LGN filters (SPEC §6.1): raised-cosine log-time basis (BMTK `makeBasis_StimKernel`,
 * nkt 600, b 0.3, two bumps), delays, unit-norm columns, the two-subunit ttp shift and amplitudes, and the
 * common truncation. Kernels are in "flipped" order: the last entry is lag 0.
 */
import { V1lmError } from '../errors.js'
import type { LgnModelId, LgnUnits } from './units.js'
import { isComposite, LGN_MODEL_IDS } from './units.js'

const B = 0.3
const NKT = 600
/** Length of the arrays the kernels are right-aligned into (SPEC §6.1). */
export const KERNEL_SPAN = 700
const nl = (x: number) => Math.log(x + 1e-20)
const YR0 = nl(100 + B)
const DB = nl(200 + B) - YR0

/** Raw bump k (peak `kpeak` ms) at lag ≥ 0, before normalization (SPEC §6.1 step 3). */
export function rawBump(kpeak: number, lag: number): number {
  let arg = ((nl(lag + B) - nl(kpeak)) * Math.PI) / (2 * DB)
  arg = Math.min(Math.max(arg, -Math.PI), Math.PI)
  return (Math.cos(arg) + 1) / 2
}

/**
 * Basis column of one bump with integer delay d, for a kernel of length L (flipped order): entry i is the
 * raw bump at lag ℓ − d + 1 (ℓ = L − 1 − i) when that lag is in 1..600, else 0; unit L2 norm (steps 4–5).
 */
export function basisColumn(kpeak: number, d: number, L: number): Float64Array {
  const v = new Float64Array(L)
  let ss = 0
  for (let i = 0; i < L; i++) {
    const bl = L - 1 - i - d + 1
    if (bl >= 1 && bl <= NKT) ss += (v[i] = rawBump(kpeak, bl)) ** 2
  }
  const norm = Math.sqrt(ss)
  for (let i = 0; i < L; i++) v[i] /= norm
  return v
}

/** Kernel (flipped, length 600 + d0) = w0·basis(kpeak0, d0) + w1·basis(kpeak1, d1), delays int-truncated. */
export function cosineBumpKernel(kpeaks: [number, number], weights: [number, number], delays: [number, number]): Float64Array {
  const d0 = Math.trunc(delays[0])
  const d1 = Math.trunc(delays[1])
  if (!(d0 >= 0 && d0 <= d1)) {
    throw new V1lmError('E_BAD_ARGUMENT', `LGN kernel delays must satisfy 0 <= d0 <= d1 (got ${d0}, ${d1})`, 'delay_dom_0')
  }
  const L = NKT + d0
  const b0 = basisColumn(kpeaks[0], d0, L)
  const b1 = basisColumn(kpeaks[1], d1, L)
  const k = new Float64Array(L)
  for (let i = 0; i < L; i++) k[i] = weights[0] * b0[i] + weights[1] * b1[i]
  return k
}

/** Chronological view (index = lag) of lags 0..599 of a flipped kernel. */
function chronological(k: Float64Array): Float64Array {
  const x = new Float64Array(NKT)
  for (let lag = 0; lag < NKT; lag++) x[lag] = k[k.length - 1 - lag]
  return x
}

/** First downward zero crossing between the peak and the trough (SPEC §6.1 b). */
export function zeroCrossing(x: Float64Array): number {
  let am = 0, an = 0
  for (let i = 1; i < x.length; i++) {
    if (x[i] > x[am]) am = i
    if (x[i] < x[an]) an = i
  }
  for (let i = am; i < an; i++) if (x[i] >= 0 && x[i + 1] < 0) return i + 1
  throw new V1lmError('E_BAD_ARGUMENT', 'two-subunit LGN kernel has no downward zero crossing between its peak and trough', 'kpeaks_dom_0')
}

/** ttp targets (ms) of the two-subunit classes: [dominant, non-dominant] (SPEC §6.1 c). */
export const TWO_SUBUNIT_TTP: Record<string, [number, number]> = { sONsOFF_001: [115, 121], sONtOFF_001: [64.8, 93.5] }

/** Dominant (OFF) amplitude of a two-subunit class from the un-shifted kernel sums (SPEC §6.1 d). */
export function offAmplitude(model: LgnModelId, sumDom: number, sumNd: number): number {
  if (model === 'sONsOFF_001') return -(35 / 21) * (sumNd / sumDom) - (4 * (35 - 21)) / (21 * sumDom)
  if (model === 'sONtOFF_001') return -0.7 * (46 / 31) * (sumNd / sumDom) - (5.5 * (46 - 31)) / (31 * sumDom)
  throw new V1lmError('E_BAD_ARGUMENT', `${model} is not a two-subunit class`, 'model_id')
}

/** One subunit of a two-subunit cell: shifted kernel and its un-shifted sum up to the zero crossing. */
export function shiftedSubunit(kpeaks: [number, number], weights: [number, number], delays: [number, number], ttp: number) {
  const x = chronological(cosineBumpKernel(kpeaks, weights, delays))
  const tcross = zeroCrossing(x)
  let sum = 0
  for (let lag = 0; lag < tcross; lag++) sum += x[lag]
  const offset = ttp - tcross
  if (offset < 0) {
    throw new V1lmError('E_BAD_ARGUMENT', `two-subunit kernel crosses zero at ${tcross} ms, after its ttp ${ttp} ms`, 'delay_dom_0')
  }
  const kernel = cosineBumpKernel(kpeaks, weights, [delays[0] + offset, delays[1] + offset])
  return { kernel, sum, tcross }
}

export interface TemporalKernels {
  /** kDom × n, row-major by kernel row (entry [j·n + u]); flipped order, row kDom − 1 = lag 0. */
  dom: Float32Array
  kDom: number
  /** kNd × nc over the composite units (compositeIndex order). */
  nd: Float32Array
  kNd: number
  /** Composite index per unit (−1 for single-subunit units). */
  compositeIndex: Int32Array
  /** Units' amplitudes: dominant and non-dominant (SPEC §6.1 Amplitudes). */
  amplitude: Float64Array
  ndAmplitude: Float64Array
}

function rightAlign(k: Float64Array): Float64Array {
  if (k.length > KERNEL_SPAN) {
    throw new V1lmError('E_BAD_ARGUMENT', `LGN kernel of ${k.length} ms is longer than ${KERNEL_SPAN} ms (delays too long)`, 'delay_dom_0')
  }
  const out = new Float64Array(KERNEL_SPAN)
  out.set(k, KERNEL_SPAN - k.length)
  return out
}

/** Leading entries whose cumulative |·| sum is ≤ 1e-6 (SPEC §6.1 common truncation). */
function negligibleLead(k: Float64Array): number {
  let s = 0, i = 0
  for (; i < k.length; i++) {
    s += Math.abs(k[i])
    if (s > 1e-6) break
  }
  return i
}

function truncate(kernels: Float64Array[], count: number): { data: Float32Array; K: number } {
  let drop = KERNEL_SPAN
  for (const k of kernels) drop = Math.min(drop, negligibleLead(k))
  if (kernels.length === 0) drop = KERNEL_SPAN
  const K = KERNEL_SPAN - drop
  const data = new Float32Array(K * count)
  kernels.forEach((k, u) => {
    for (let j = 0; j < K; j++) data[j * count + u] = k[drop + j]
  })
  return { data, K }
}

/** Builds every unit's temporal kernels and amplitudes (SPEC §6.1). */
export function buildTemporalKernels(units: LgnUnits): TemporalKernels {
  const n = units.count
  const dom: Float64Array[] = []
  const nd: Float64Array[] = []
  const compositeIndex = new Int32Array(n).fill(-1)
  const amplitude = new Float64Array(n)
  const ndAmplitude = new Float64Array(n)
  const pair = (a: Float64Array, u: number): [number, number] => [a[2 * u], a[2 * u + 1]]
  for (let u = 0; u < n; u++) {
    const model = LGN_MODEL_IDS[units.modelIndex[u]]
    if (!isComposite(model)) {
      dom.push(rightAlign(cosineBumpKernel(pair(units.kpeaksDom, u), pair(units.weightDom, u), pair(units.delayDom, u))))
      amplitude[u] = model.includes('ON') ? 1 : -1
      continue
    }
    const [ttpDom, ttpNd] = TWO_SUBUNIT_TTP[model]
    const d = shiftedSubunit(pair(units.kpeaksDom, u), pair(units.weightDom, u), pair(units.delayDom, u), ttpDom)
    const o = shiftedSubunit(pair(units.kpeaksNonDom, u), pair(units.weightNonDom, u), pair(units.delayNonDom, u), ttpNd)
    compositeIndex[u] = nd.length
    dom.push(rightAlign(d.kernel))
    nd.push(rightAlign(o.kernel))
    amplitude[u] = offAmplitude(model, d.sum, o.sum)
    ndAmplitude[u] = 1
  }
  const td = truncate(dom, n)
  const tn = truncate(nd, nd.length)
  return { dom: td.data, kDom: td.K, nd: tn.data, kNd: tn.K, compositeIndex, amplitude, ndAmplitude }
}
