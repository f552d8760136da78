/**
 * The engine's observables as the losses see them (ARCHITECTURE §2) and small helpers on them.
 * All arrays are float32, batch-major; adjoints have exactly the shape of their observable.
 */
import { V1lmError } from '../errors.js'

/** One bin {start, size, count} of the counts request: bin k covers steps [start + k·size, start + (k+1)·size). */
export interface BinSpec {
  start: number
  size: number
  count: number
}

/** Spike counts per (batch, bin, neuron): data.length = batch·bins·neurons. */
export interface SpikeCounts {
  data: Float32Array
  batch: number
  bins: number
  neurons: number
  /** Steps per bin (the `size` of the BinSpec). */
  binSteps: number
}

/** Population traces s_k(b, t) per (batch, subset, step): data.length = batch·subsets·steps. */
export interface PopulationTraces {
  data: Float32Array
  batch: number
  subsets: number
  steps: number
}

/** Neuron subsets as CSR: subset k = indices[offsets[k] .. offsets[k+1]). */
export interface NeuronSubsets {
  offsets: Int32Array
  indices: Int32Array
}

/** What a loss returns: its value (cost included) and dL/d(observable). */
export interface LossResult<A = Float32Array> {
  value: number
  adjoint: A
}

/** The one bin the rate, OSI and EMA terms use: [pre, T − post) (SPEC §10 spike_trimming, trim=True). */
export function trimmedBin(seqLen: number, pre: number, post: number): BinSpec {
  if (!Number.isInteger(seqLen) || !Number.isInteger(pre) || !Number.isInteger(post) || pre < 0 || post < 0 || pre + post >= seqLen) {
    throw new V1lmError('E_BAD_ARGUMENT', `delays (${pre}, ${post}) leave no step of a ${seqLen}-step trial; use pre + post < seq_len`, 'delays')
  }
  return { start: pre, size: seqLen - pre - post, count: 1 }
}

export function checkCounts(c: SpikeCounts, field = 'counts'): void {
  if (c.data.length !== c.batch * c.bins * c.neurons || c.batch < 1 || c.bins < 1 || !(c.binSteps >= 1)) {
    throw new V1lmError('E_BAD_ARGUMENT', `${field}: length ${c.data.length} does not match batch ${c.batch} × bins ${c.bins} × neurons ${c.neurons} (binSteps ${c.binSteps})`, field)
  }
}

export function checkBin(c: SpikeCounts, bin: number): void {
  if (!Number.isInteger(bin) || bin < 0 || bin >= c.bins) {
    throw new V1lmError('E_BAD_ARGUMENT', `bin ${bin} is outside the ${c.bins} requested bins`, 'bin')
  }
}

/** Checks that neuron indices are integers in [0, n). */
export function checkNeuronIndices(ids: Int32Array, n: number, field: string): void {
  for (let i = 0; i < ids.length; i++) {
    if (ids[i] < 0 || ids[i] >= n) throw new V1lmError('E_BAD_ARGUMENT', `${field}[${i}] = ${ids[i]} is not a neuron index in [0, ${n})`, field)
  }
}
