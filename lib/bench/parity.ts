/**
 * Backend parity (issue "CUDA backend"): one trial (forward with every observable, backward with every
 * adjoint, gradients of every block) run on two engines, and the comparison the parity tests assert on:
 * first step whose spikes differ, voltage error before it, relative gradient error per block.
 * Used by test/5x.cuda-parity.test.ts (tap) and test/gpu/parity.mjs (node:test on the GPU machine).
 */
import { lgnProbability, Rng, type SyntheticNetwork } from './synthetic.js'

/** The raw addon Engine surface used here (lib/engine wraps it with full types). */
export interface RawEngine {
  forward(req: object): Promise<ForwardOutput>
  backward(adjoints: object): Promise<void>
  update(step: object): Promise<void>
  getWeights(block: string): Float32Array
  getGradients(block: string): Float32Array
  getOptimizerState(block: string): { m: Float32Array; v: Float32Array }
  info(): { peakDeviceBytes: number; backend: string; inputsAhead: boolean; fusedSteps: boolean; splitPush: boolean }
  dispose(): void
}
export interface ForwardOutput {
  areas: { raster: Uint32Array; counts: Float32Array; traces: Float32Array; voltages?: Float32Array; voltageRegularizer: number; spikes: number }[]
  state: { zbuf: Uint8Array; v: Float32Array; r: Float32Array; asc: Float32Array; rise: Float32Array; psc: Float32Array }[]
}

export interface Trial {
  request: object
  adjoints: { areas: object[]; trainable: string[] }
}

/** A trial exercising every observable: LGN probabilities (Philox spikes), bins, traces, voltages. */
export function makeTrial(net: SyntheticNetwork, batch: number, steps: number, seed: number): Trial {
  const rng = new Rng(seed)
  const binSize = Math.max(1, Math.floor(steps / 5))
  const bins = { start: 0, size: binSize, count: Math.floor(steps / binSize) }
  const traces = net.areas.map((a) => {
    const K = 3
    const offsets = new Int32Array(K + 1)
    const indices: number[] = []
    for (let k = 0; k < K; k++) {
      const m = Math.min(a.n, 5 + rng.int(40))
      for (let j = 0; j < m; j++) indices.push(rng.int(a.n))
      offsets[k + 1] = indices.length
    }
    return { offsets, indices: Int32Array.from(indices) }
  })
  const request = {
    steps, trial: 7, keepTape: true, recordVoltages: true, bins, traces,
    lgn: { probability: lgnProbability(batch, steps, net.nInputs, 20, seed + 1) },
  }
  const areas = net.areas.map((a, i) => {
    const counts = new Float32Array(batch * bins.count * a.n)
    for (let k = 0; k < counts.length; k++) counts[k] = rng.uniform() - 0.5
    const tr = new Float32Array(batch * (traces[i].offsets.length - 1) * steps)
    for (let k = 0; k < tr.length; k++) tr[k] = rng.uniform() < 0.5 ? 0 : rng.uniform() - 0.5
    return { counts, traces: tr, voltageRegularizer: 0.3 }
  })
  return { request, adjoints: { areas, trainable: net.blocks.map((b) => b.name) } }
}

export interface TrialResult {
  forward: ForwardOutput
  gradients: Record<string, Float32Array>
}

export async function runTrial(engine: RawEngine, net: SyntheticNetwork, trial: Trial): Promise<TrialResult> {
  const forward = await engine.forward(trial.request)
  await engine.backward(trial.adjoints)
  const gradients: Record<string, Float32Array> = {}
  for (const b of net.blocks) gradients[b.name] = engine.getGradients(b.name)
  return { forward, gradients }
}

export interface Comparison {
  /** First step at which any spike differs (any area, batch element), −1 if none. */
  firstSpikeMismatch: number
  /** max |Δv| / max(1, |v|) over the steps before the first mismatch (all steps if none). */
  voltageError: number
  /**
   * At the first mismatch: the largest distance of either run's voltage from the threshold (1) among the neurons
   * whose spike differs there; 0 if none. A flip of the float sums' order has both runs at the threshold.
   */
  flipDistance: number
  /** ‖Δg‖₂ / ‖g‖₂ per block (‖Δg‖₂ where ‖g‖₂ = 0). */
  gradientError: Record<string, number>
  /** Largest relative error of counts, traces, voltage regularizer (exact observables of equal spikes). */
  observableError: number
}

export function relativeError(ref: ArrayLike<number>, x: ArrayLike<number>): number {
  let d = 0
  let r = 0
  for (let k = 0; k < ref.length; k++) {
    d += (ref[k] - x[k]) ** 2
    r += ref[k] ** 2
  }
  return r > 0 ? Math.sqrt(d / r) : Math.sqrt(d)
}

export function compareTrials(net: SyntheticNetwork, batch: number, steps: number, ref: TrialResult, other: TrialResult): Comparison {
  let first = -1
  for (let t = 0; t < steps && first < 0; t++) {
    net.areas.forEach((a, i) => {
      const words = (a.n + 31) >>> 5
      for (let b = 0; b < batch; b++)
        for (let w = 0; w < words; w++) {
          const k = (b * steps + t) * words + w
          if (ref.forward.areas[i].raster[k] !== other.forward.areas[i].raster[k]) first = t
        }
    })
  }
  const until = first < 0 ? steps : first
  let voltageError = 0
  let flipDistance = 0
  let observableError = 0
  net.areas.forEach((a, i) => {
    const va = ref.forward.areas[i].voltages
    const vb = other.forward.areas[i].voltages
    if (va && vb)
      for (let b = 0; b < batch; b++)
        for (let t = 0; t < until; t++)
          for (let j = 0; j < a.n; j++) {
            const k = (b * steps + t) * a.n + j
            voltageError = Math.max(voltageError, Math.abs(va[k] - vb[k]) / Math.max(1, Math.abs(va[k])))
          }
    if (first >= 0) {
      const words = (a.n + 31) >>> 5
      for (let b = 0; b < batch; b++)
        for (let j = 0; j < a.n; j++) {
          const bit = (b * steps + first) * words + (j >>> 5)
          const differs = ((ref.forward.areas[i].raster[bit] ^ other.forward.areas[i].raster[bit]) >>> (j & 31)) & 1
          if (!differs) continue
          const k = (b * steps + first) * a.n + j
          // Without recorded voltages a flip cannot be placed: it counts as far from the threshold.
          flipDistance = Math.max(flipDistance, va && vb ? Math.max(Math.abs(va[k] - 1), Math.abs(vb[k] - 1)) : Infinity)
        }
    }
    if (first < 0) {
      const A = ref.forward.areas[i]
      const B = other.forward.areas[i]
      observableError = Math.max(observableError, relativeError(A.counts, B.counts), relativeError(A.traces, B.traces),
        Math.abs(A.voltageRegularizer - B.voltageRegularizer) / Math.max(1e-30, Math.abs(A.voltageRegularizer)))
    }
  })
  const gradientError: Record<string, number> = {}
  for (const blk of net.blocks) gradientError[blk.name] = relativeError(ref.gradients[blk.name], other.gradients[blk.name])
  return { firstSpikeMismatch: first, voltageError, flipDistance, gradientError, observableError }
}

/** Runs Adam, exp-Adam and SGD updates on two engines and returns the largest relative weight / slot error. */
export async function compareUpdates(net: SyntheticNetwork, a: RawEngine, b: RawEngine): Promise<{ weights: number; slots: number; signKept: boolean }> {
  const blocks = net.blocks.map((x) => x.name)
  const steps = [
    { algorithm: 'adam', learningRate: 1e-3, step: 1, blocks },
    { algorithm: 'exp_adam', learningRate: 1e-3, step: 2, blocks },
    { algorithm: 'sgd', learningRate: 0.5, blocks, gradientScale: 2 },
  ]
  let weights = 0
  let slots = 0
  let signKept = true
  for (const s of steps) {
    await a.update(s)
    await b.update(s)
    for (const blk of net.blocks) {
      const wa = a.getWeights(blk.name)
      const wb = b.getWeights(blk.name)
      weights = Math.max(weights, relativeError(wa, wb))
      const sa = a.getOptimizerState(blk.name)
      const sb = b.getOptimizerState(blk.name)
      slots = Math.max(slots, relativeError(sa.m, sb.m), relativeError(sa.v, sb.v))
      for (let k = 0; k < wb.length; k++) if (blk.weight[k] >= 0 ? wb[k] < 0 : wb[k] > 0) signKept = false
    }
  }
  return { weights, slots, signKept }
}

export function sameResult(x: TrialResult, y: TrialResult): boolean {
  const eq = (p: ArrayLike<number>, q: ArrayLike<number>): boolean => {
    if (p.length !== q.length) return false
    for (let k = 0; k < p.length; k++) if (p[k] !== q[k] && !(Number.isNaN(p[k]) && Number.isNaN(q[k]))) return false
    return true
  }
  for (let i = 0; i < x.forward.areas.length; i++) {
    const A = x.forward.areas[i]
    const B = y.forward.areas[i]
    if (!eq(A.raster, B.raster) || !eq(A.voltages ?? [], B.voltages ?? []) || A.voltageRegularizer !== B.voltageRegularizer) return false
  }
  for (const k of Object.keys(x.gradients)) if (!eq(x.gradients[k], y.gradients[k])) return false
  return true
}
