/**
 * Random GLIF3 networks for tests, examples and benchmarks: any number of areas, recurrent and
 * inter-area blocks with delays, LGN and BKG blocks. Deterministic by seed. Not the Billeh model
 * (lib/network builds that); the node types are the example type of SPEC §2.2 and variants of it.
 */
import { V1lmError } from '../errors.js'
import type { EngineBlock, EngineNetwork, NeuronTypeParams } from './types.js'

/** mulberry32: a small, fast 32-bit PRNG; enough for building test networks. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** The SPEC §2.2 example type (excitatory) and an interneuron-like variant (fast, short refractory). */
export const exampleTypes: NeuronTypeParams[] = [
  { V_th: -34.78, E_L: -71.32, g: 4.3327, C_m: 61.776, V_reset: -71.32, t_ref: 2.2, k: [0.003, 0.03], asc_amps: [-6.62, -68.56] },
  { V_th: -52.0, E_L: -72.0, g: 5.0, C_m: 60.0, V_reset: -72.0, t_ref: 1.5, k: [0.1, 0.3], asc_amps: [-10.0, -20.0] },
  { V_th: -40.0, E_L: -70.0, g: 5.0, C_m: 120.0, V_reset: -70.0, t_ref: 3.5, k: [0.1, 0.3], asc_amps: [-20.0, -40.0] },
]

export interface RandomNetworkOptions {
  /** Neurons per area (one entry per area). */
  areas: number[]
  seed?: number
  /** Mean recurrent in-degree per neuron. */
  recurrentDegree?: number
  /** Mean inter-area in-degree per neuron (each area from every other area). */
  interareaDegree?: number
  /** LGN units (0: no LGN block) and in-degree; only area 0 receives LGN input, as V1 does. */
  nInputs?: number
  lgnDegree?: number
  /** BKG block per area: 4 connections per neuron to nBkgSources sources (SPEC §6.3). */
  bkg?: boolean
  nBkgSources?: number
  maxDelay?: number
  /** Fraction of excitatory neurons. */
  excitatoryFraction?: number
  /** Scale of the weights (normalized units, peak PSC). */
  recurrentWeight?: number
  inputWeight?: number
  bkgWeight?: number
}

export function randomNetwork(opts: RandomNetworkOptions): EngineNetwork {
  const rand = mulberry32(opts.seed ?? 1)
  const D = opts.maxDelay ?? 5
  const nInputs = opts.nInputs ?? 0
  const nBkg = opts.nBkgSources ?? 100
  const eFrac = opts.excitatoryFraction ?? 0.8
  if (opts.areas.length < 1 || opts.areas.some((n) => !Number.isInteger(n) || n < 1))
    throw new V1lmError('E_BAD_ARGUMENT', 'areas: give at least one area with ≥ 1 neuron', 'areas')
  const excit: Uint8Array[] = []
  const areas = opts.areas.map((n, a) => {
    const nodeTypeIndex = new Int32Array(n)
    const e = new Uint8Array(n)
    for (let i = 0; i < n; i++) {
      e[i] = rand() < eFrac ? 1 : 0
      nodeTypeIndex[i] = e[i] ? (rand() < 0.8 ? 0 : 2) : 1
    }
    excit.push(e)
    return { name: a === 0 ? 'v1' : a === 1 ? 'lm' : `area${a}`, n, types: exampleTypes, nodeTypeIndex }
  })
  // Receptor by pathway (SPEC §3.1 convention): e→e 0, i→e 1, e→i 2, i→i 3.
  const receptorOf = (preE: number, postE: number) => (postE ? (preE ? 0 : 1) : preE ? 2 : 3)

  // Equal charge per synapse across receptors: the alpha PSC of peak w carries ≈ e·τ·w (SPEC §3.1).
  const chargeScale = [1, 5.5 / 8.5, 5.5 / 2.8, 5.5 / 5.8]
  const blocks: EngineBlock[] = []
  const wRec = opts.recurrentWeight ?? 0.6
  const addBlock = (name: string, kind: EngineBlock['kind'], target: number, source: number, degree: number, nPre: number,
    preE: (p: number) => number, weight: (preE: number) => number, delayed: boolean) => {
    const nPost = opts.areas[target]
    const pre: number[] = [], post: number[] = [], rec: number[] = [], del: number[] = [], w: number[] = []
    for (let j = 0; j < nPost; j++) {
      const k = kind === 'bkg' ? degree : Math.max(0, Math.round(degree * (0.5 + rand())))
      for (let c = 0; c < k; c++) {
        const p = Math.floor(rand() * nPre)
        if (kind === 'recurrent' && p === j) continue
        pre.push(p)
        post.push(j)
        const pe = preE(p)
        rec.push(receptorOf(pe, excit[target][j]))
        del.push(delayed ? 1 + Math.floor(rand() * D) : 0)
        w.push(weight(pe) * (0.5 + rand()) * chargeScale[rec[rec.length - 1]])
      }
    }
    blocks.push({ name, kind, target, source, pre: Int32Array.from(pre), post: Int32Array.from(post),
      receptor: Uint8Array.from(rec), delay: Uint8Array.from(del), weight: Float32Array.from(w) })
  }
  const sign = (pe: number, scale: number) => (pe ? scale : -2 * scale)
  opts.areas.forEach((n, a) => {
    const name = areas[a].name
    if ((opts.recurrentDegree ?? 20) > 0)
      addBlock(`${name}.recurrent`, 'recurrent', a, a, opts.recurrentDegree ?? 20, n, (p) => excit[a][p], (pe) => sign(pe, wRec), true)
    opts.areas.forEach((m, s) => {
      if (s === a || (opts.interareaDegree ?? 5) <= 0) return
      addBlock(`${name}.from_${areas[s].name}`, 'interarea', a, s, opts.interareaDegree ?? 5, m, (p) => excit[s][p], (pe) => sign(pe, 0.5 * wRec), true)
    })
  })
  if (nInputs > 0)
    addBlock(`${areas[0].name}.lgn`, 'lgn', 0, -1, opts.lgnDegree ?? 15, nInputs, () => 1, () => opts.inputWeight ?? 2.0, false)
  if (opts.bkg ?? true)
    opts.areas.forEach((_, a) => addBlock(`${areas[a].name}.bkg`, 'bkg', a, -1, 4, nBkg, () => 1, () => opts.bkgWeight ?? 3.0, false))
  return { areas, blocks, nInputs, nBkgSources: nBkg }
}
