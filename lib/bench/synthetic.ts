/**
 * Synthetic two-area networks for the CUDA parity tests and the benchmark (issue "CUDA backend"): the
 * neuron counts of a workload and the in-degrees of the measured production network (SPEC §14.3–§14.4:
 * ≈ 290 recurrent, 15 LGN, 4 BKG, ≈ 49 LM→V1 and ≈ 232 V1→LM per postsynaptic neuron), 80 % excitatory /
 * 20 % inhibitory, receptor by (pre, post) class (E→E 0, I→E 1, E→I 2, I→I 3), delays 1..maxDelay.
 * Weights are in normalized units (peak PSC / voltage scale, SPEC §3.4); the default scales were tuned on
 * the CPU reference so that rates land at 3–5 Hz (docs/perf-notes.md) and the bench reports the measured rate.
 * Everything is drawn from a seeded xorshift generator: same options, same network.
 */
import type { EngineBlock, EngineNetwork, NeuronTypeParams } from '../engine/types.js'

export interface SyntheticOptions {
  nV1: number
  nLm: number
  seed?: number
  maxDelay?: number
  recurrentInDegree?: number
  lgnInDegree?: number
  bkgInDegree?: number
  lmToV1InDegree?: number
  v1ToLmInDegree?: number
  nInputs?: number
  nBkgSources?: number
  /** Weight of an excitatory recurrent / inter-area synapse (inhibitory ones are −inhibitoryRatio × this). */
  recurrentWeight?: number
  inhibitoryRatio?: number
  /** Weight of LGN and BKG synapses. */
  inputWeight?: number
  /**
   * Receptor (0–3) of every LGN synapse instead of the class rule; 3 gives V1's excitatory neurons a third slot
   * (receptors 0, 1, 3), so that V1 has three slots as the built networks' V1 does (the default rule gives two).
   */
  lgnReceptor?: number
}

export type SyntheticNetwork = EngineNetwork & { nBkgSources: number }
type NeuronType = NeuronTypeParams

/** Tuned on the CPU reference (V1 3,000 + LM 428, 300 steps, LGN at 20 Hz mean): V1 ≈ 4.6 Hz, LM ≈ 4 Hz. */
export const DEFAULT_INPUT_WEIGHT = 0.2
export const DEFAULT_RECURRENT_WEIGHT = 0.02

// Two GLIF3 types per class (SPEC §2.2 example type and a faster inhibitory one).
const EXCITATORY: NeuronType[] = [
  { V_th: -34.78, E_L: -71.32, g: 4.3327, C_m: 61.776, V_reset: -71.32, t_ref: 2.2, k: [0.003, 0.03], asc_amps: [-6.62, -68.56] },
  { V_th: -40.1, E_L: -70.5, g: 5.1, C_m: 80.2, V_reset: -70.5, t_ref: 3.1, k: [0.01, 0.1], asc_amps: [-10.3, -40.2] },
]
const INHIBITORY: NeuronType[] = [
  { V_th: -41.2, E_L: -68.3, g: 6.4, C_m: 42.5, V_reset: -68.3, t_ref: 1.5, k: [0.02, 0.2], asc_amps: [-2.1, -15.4] },
  { V_th: -43.0, E_L: -66.9, g: 7.2, C_m: 55.1, V_reset: -66.9, t_ref: 1.1, k: [0.05, 0.3], asc_amps: [-1.4, -9.8] },
]

/** xorshift128 on 32-bit words (Marsaglia 2003), seeded through splitmix32. */
export class Rng {
  private a = 0
  private b = 0
  private c = 0
  private d = 0
  constructor(seed: number) {
    let x = (seed >>> 0) ^ 0x9e3779b9
    const next = (): number => {
      x = (x + 0x9e3779b9) >>> 0
      let z = x
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0
      return (z ^ (z >>> 16)) >>> 0
    }
    this.a = next() | 1
    this.b = next()
    this.c = next()
    this.d = next()
  }
  u32(): number {
    let t = this.d
    const s = this.a
    this.d = this.c
    this.c = this.b
    this.b = s
    t ^= t << 11
    t ^= t >>> 8
    this.a = (t ^ s ^ (s >>> 19)) >>> 0
    return this.a
  }
  uniform(): number {
    return this.u32() / 4294967296
  }
  int(n: number): number {
    return Math.floor(this.uniform() * n)
  }
}

interface Area {
  n: number
  inhibitory: Uint8Array
}

function makeArea(name: string, n: number, rng: Rng): { spec: SyntheticNetwork['areas'][number]; area: Area } {
  const nodeTypeIndex = new Int32Array(n)
  const inhibitory = new Uint8Array(n)
  for (let i = 0; i < n; i++) {
    const inh = rng.uniform() < 0.2
    inhibitory[i] = inh ? 1 : 0
    nodeTypeIndex[i] = (inh ? 2 : 0) + rng.int(2)
  }
  return { spec: { name, n, types: [...EXCITATORY, ...INHIBITORY], nodeTypeIndex }, area: { n, inhibitory } }
}

// `inDegree` synapses onto every postsynaptic neuron from uniformly drawn presynaptic ids.
function connect(
  name: string, kind: EngineBlock['kind'], target: number, source: number | undefined, post: Area,
  nPre: number, preInhibitory: Uint8Array | undefined, inDegree: number, rng: Rng, maxDelay: number,
  excitatoryWeight: number, inhibitoryRatio: number, fixedReceptor?: number,
): EngineBlock {
  const E = post.n * inDegree
  const pre = new Int32Array(E)
  const postIdx = new Int32Array(E)
  const receptor = new Uint8Array(E)
  const weight = new Float32Array(E)
  const delayed = kind === 'recurrent' || kind === 'interarea'
  const delay = delayed ? new Uint8Array(E) : undefined
  let s = 0
  for (let i = 0; i < post.n; i++) {
    const postInh = post.inhibitory[i]
    for (let k = 0; k < inDegree; k++, s++) {
      const p = rng.int(nPre)
      const preInh = preInhibitory ? preInhibitory[p] : 0
      pre[s] = p
      postIdx[s] = i
      receptor[s] = fixedReceptor ?? (postInh ? 2 : 0) + preInh
      // ±30 % spread around the class weight; the sign follows the presynaptic class (Dale).
      const w = excitatoryWeight * (0.7 + 0.6 * rng.uniform())
      weight[s] = preInh ? -inhibitoryRatio * w : w
      if (delay) delay[s] = 1 + rng.int(maxDelay)
    }
  }
  return { name, kind, target, source: source ?? -1, pre, post: postIdx, receptor, ...(delay ? { delay } : {}), weight }
}

export function syntheticNetwork(o: SyntheticOptions): SyntheticNetwork {
  const rng = new Rng(o.seed ?? 1)
  const D = o.maxDelay ?? 5
  const nInputs = o.nInputs ?? 17400
  const nBkg = o.nBkgSources ?? 100
  const wRec = o.recurrentWeight ?? DEFAULT_RECURRENT_WEIGHT
  const wIn = o.inputWeight ?? DEFAULT_INPUT_WEIGHT
  const ratio = o.inhibitoryRatio ?? 3
  const v1 = makeArea('v1', o.nV1, rng)
  const lm = makeArea('lm', o.nLm, rng)
  const blocks: EngineBlock[] = [
    connect('v1.recurrent', 'recurrent', 0, 0, v1.area, v1.area.n, v1.area.inhibitory, o.recurrentInDegree ?? 290, rng, D, wRec, ratio),
    connect('lm.recurrent', 'recurrent', 1, 1, lm.area, lm.area.n, lm.area.inhibitory, o.recurrentInDegree ?? 290, rng, D, wRec, ratio),
    connect('lm_to_v1', 'interarea', 0, 1, v1.area, lm.area.n, lm.area.inhibitory, o.lmToV1InDegree ?? 49, rng, D, wRec, ratio),
    connect('v1_to_lm', 'interarea', 1, 0, lm.area, v1.area.n, v1.area.inhibitory, o.v1ToLmInDegree ?? 232, rng, D, wRec, ratio),
    connect('lgn', 'lgn', 0, undefined, v1.area, nInputs, undefined, o.lgnInDegree ?? 15, rng, D, wIn, ratio, o.lgnReceptor),
    connect('v1.bkg', 'bkg', 0, undefined, v1.area, nBkg, undefined, o.bkgInDegree ?? 4, rng, D, wIn, ratio),
    connect('lm.bkg', 'bkg', 1, undefined, lm.area, nBkg, undefined, o.bkgInDegree ?? 4, rng, D, wIn, ratio),
  ]
  // LM has no LGN input: a stronger BKG drive keeps its rate in range.
  const lmBkg = blocks[6]
  for (let s = 0; s < lmBkg.weight.length; s++) lmBkg.weight[s] *= 1.2
  return { nInputs, nBkgSources: nBkg, areas: [v1.spec, lm.spec], blocks }
}

/**
 * LGN spike probabilities (B·T·nInputs, per step) of a static stimulus: every unit has its own rate,
 * uniform in [0, 2·meanHz], constant over time.
 */
export function lgnProbability(batch: number, steps: number, nInputs: number, meanHz: number, seed: number): Float32Array {
  const rng = new Rng(seed)
  const rate = new Float32Array(nInputs)
  for (let u = 0; u < nInputs; u++) rate[u] = (2 * meanHz * rng.uniform()) / 1000
  const p = new Float32Array(batch * steps * nInputs)
  for (let bt = 0; bt < batch * steps; bt++) p.set(rate, bt * nInputs)
  return p
}

/** Bernoulli draws of `lgnProbability` as 0/1 bytes (for runs too long to pass probabilities). */
export function lgnSpikes(probability: Float32Array, seed: number): Uint8Array {
  const rng = new Rng(seed)
  const out = new Uint8Array(probability.length)
  for (let k = 0; k < probability.length; k++) out[k] = rng.uniform() < probability[k] ? 1 : 0
  return out
}

/** Mean rate in Hz of a raster (B·T·ceil(n/32) words). */
export function rasterRateHz(raster: Uint32Array, batch: number, steps: number, n: number): number {
  let spikes = 0
  for (const w of raster) {
    let x = w
    x = x - ((x >>> 1) & 0x55555555)
    x = (x & 0x33333333) + ((x >>> 2) & 0x33333333)
    spikes += (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24)
  }
  return (spikes / (batch * steps * n)) * 1000
}
