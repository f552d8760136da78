/**
 * The published Billeh 2020 tables, derived into data/network/ (see data/network/SOURCES.md), loaded once and
 * indexed for the builder.
 */
import fs from 'node:fs'
import { V1lmError } from '../errors.js'
import type { NeuronTypeParams } from './types.js'

export const DATA_DIR = new URL('../../data/network/', import.meta.url)

export interface NodeTypeRow {
  nodeTypeId: number
  popName: string
  ei: 'e' | 'i'
  params: NeuronTypeParams
}

export interface ConnRule {
  /** Corrected amplitude A_new (capped at 1). */
  A: number
  sigma: number
  /** Orientation factor B1 + G·Δφ (Δφ in [0, 90]); G = 0 and B1 = 1 when there is none. */
  B1: number
  G: number
  /** Upper bound of the orientation factor. */
  Bmax: number
  nsynMin: number
  /** Exclusive upper bound: nsyns ~ UniformInt[nsynMin, nsynMax) (numpy randint(3, 8) → 3..7). */
  nsynMax: number
}

export interface LgnRule {
  probability: number
  poissonParameter: number
  sON_ratio: number
  centers_d_min: number
  centers_d_max: number
  ON_OFF_w_min: number
  ON_OFF_w_max: number
  aspectRatio_min: number
  aspectRatio_max: number
  N_syn: number
}

export interface Population {
  name: string
  ei: 'e' | 'i'
  /** Layer digit as in pop_name: '1', '2' (= L2/3), '4', '5', '6'. */
  layer: string
  /** 17-class key of the connection rules ('e4', 'i2P', …). */
  ruleClass: string
  /** Key of the LGN rules ('e4', 'i4Pvalb', …). */
  lgnKey: string
  /** Laminar key of SPEC §7.5 ('L2_e', 'L5_i_Pvalb', …). */
  laminarKey: string
  coreCount: number
  depthRange: [number, number]
  /** Indices into Tables.nodeTypes. */
  typeIndices: number[]
}

export interface Tables {
  nodeTypes: NodeTypeRow[]
  populations: Population[]
  popIndex: Map<string, number>
  columnRadius: number
  coreRadius: number
  nFullColumn: number
  nCore: number
  /** rules[srcClass][trgClass], null when the pair is not connected. */
  rule(srcPop: number, trgPop: number): ConnRule | null
  /** Row of the V1-V1 edge-type table for (target node type, source population), −1 if absent. */
  edgeTypeRow: Int32Array
  edgeTypes: {
    edgeTypeId: Int32Array
    synWeight: Float64Array
    /** 1 = DirectionRule_EE, 0 = DirectionRule_others */
    ruleEE: Uint8Array
    weightSigma: Float64Array
    delayMs: Float64Array
    receptor: Uint8Array
  }
  bkg: { nsyns: number; nSources: number; perNeuron: number; rateHz: number; synWeight: Float64Array; receptor: Uint8Array; delayMs: Float64Array }
  lgn: { delayMs: number; rules: LgnRule[]; synWeight: Float64Array; receptor: Uint8Array }
}

function readJson(name: string): any {
  const url = new URL(name, DATA_DIR)
  try {
    return JSON.parse(fs.readFileSync(url, 'utf8'))
  } catch (err) {
    throw new V1lmError('E_BAD_FILE', `cannot read network table ${url.pathname}: ${(err as Error).message}; reinstall v1lm or rerun data/network/derive.mjs`, url.pathname)
  }
}

export function ruleClassOf(pop: string): string {
  const layer = pop[1]
  if (pop[0] === 'e') return `e${layer}`
  const sub = pop.replace(/^i\d+/, '')
  return `i${layer}${sub[0]}`
}

export function laminarKeyOf(pop: string): string {
  const layer = pop[1]
  if (pop[0] === 'e') return `L${layer}_e`
  return `L${layer}_i_${pop.replace(/^i\d+/, '')}`
}

function lgnKeyOf(pop: string): string {
  if (pop[0] === 'e') return pop.startsWith('e23') ? 'e23' : pop.slice(0, 2)
  return pop
}

/**
 * SPEC b1 rule: A_new = A_lit / ((σ/R0)²(1 − exp(−(R0/σ)²))), capped at 1, times the calibration `scale`
 * (data/network/calibration.json), capped again; B1/B2 renormalized if A·max(B) > 1.
 */
export function compileRule(r: { A_literature: number; R0: number; sigma: number; B_ratio: number | null; nsyn_range: number[] }, scale = 1): ConnRule | null {
  if (!(r.A_literature > 0)) return null
  let A = r.A_literature / ((r.sigma / r.R0) ** 2 * (1 - Math.exp(-((r.R0 / r.sigma) ** 2))))
  if (A > 1) A = 1
  A *= scale
  if (A > 1) A = 1
  let B1 = 1
  let G = 0
  if (r.B_ratio !== null && r.B_ratio !== undefined) {
    B1 = 2 / (1 + r.B_ratio)
    let B2 = r.B_ratio * B1
    if (A * Math.max(B1, B2) > 1) {
      if (B1 >= B2) {
        const nb = 1 / A
        B2 += B1 - nb
        B1 = nb
      } else {
        const nb = 1 / A
        B1 += B2 - nb
        B2 = nb
      }
    }
    G = (B2 - B1) / 90
  }
  const Bmax = Math.max(B1, B1 + 90 * G)
  return { A, sigma: r.sigma, B1, G, Bmax, nsynMin: r.nsyn_range[0], nsynMax: r.nsyn_range[1] }
}

let cached: Tables | undefined

export function loadTables(): Tables {
  if (cached) return cached
  const nt = readJson('node_types.json').types as any[]
  const nodeTypes: NodeTypeRow[] = nt.map((t) => ({ nodeTypeId: t.node_type_id, popName: t.pop_name, ei: t.ei, params: t.params }))
  const popJson = readJson('populations.json')
  const populations: Population[] = popJson.populations.map((p: any) => ({
    name: p.pop_name,
    ei: p.pop_name[0],
    layer: p.pop_name[1],
    ruleClass: ruleClassOf(p.pop_name),
    lgnKey: lgnKeyOf(p.pop_name),
    laminarKey: laminarKeyOf(p.pop_name),
    coreCount: p.core_count,
    depthRange: p.depth_range_um,
    typeIndices: [] as number[],
  }))
  const popIndex = new Map(populations.map((p, i) => [p.name, i]))
  nodeTypes.forEach((t, i) => {
    const p = popIndex.get(t.popName)
    if (p === undefined) throw new V1lmError('E_BAD_FILE', `node type ${t.nodeTypeId} has unknown population ${t.popName}`, 'node_types.json')
    populations[p].typeIndices.push(i)
  })
  const P = populations.length
  const rulesJson = readJson('conn_rules.json')
  const amplitudeScale: number = readJson('calibration.json').recurrent_amplitude_scale
  const rules: (ConnRule | null)[] = new Array(P * P).fill(null)
  for (let s = 0; s < P; s++) for (let t = 0; t < P; t++) {
    const r = rulesJson[`${populations[s].ruleClass}-${populations[t].ruleClass}`]
    rules[s * P + t] = r ? compileRule(r, amplitudeScale) : null
  }
  const et = readJson('edge_types.json')
  const nE = et.edge_type_id.length
  const typeIdx = new Map(nodeTypes.map((t, i) => [t.nodeTypeId, i]))
  const edgeTypeRow = new Int32Array(nodeTypes.length * P).fill(-1)
  for (let r = 0; r < nE; r++) {
    const ti = typeIdx.get(et.target_node_type_id[r])
    const pi = popIndex.get(et.source_pop_name[r])
    if (ti === undefined || pi === undefined) throw new V1lmError('E_BAD_FILE', `edge type ${et.edge_type_id[r]} names an unknown target type or source population`, 'edge_types.json')
    edgeTypeRow[ti * P + pi] = r
  }
  const bkgJson = readJson('bkg.json')
  // per-population factor on the published BKG weight, fitted by data/network/calibrate-bkg.mjs (SOURCES.md)
  const bkgFactor = readJson('bkg_calibration.json').factor
  for (const p of populations) {
    if (!(bkgFactor?.[p.name] >= 0)) throw new V1lmError('E_BAD_FILE', `bkg_calibration.json has no non-negative factor for ${p.name}; regenerate it with node data/network/calibrate-bkg.mjs`, 'bkg_calibration.json')
  }
  const lgnJson = readJson('lgn_v1_rules.json')
  const popArr = <T>(f: (p: Population) => T) => populations.map(f)
  cached = {
    nodeTypes,
    populations,
    popIndex,
    columnRadius: popJson.column_radius_um,
    coreRadius: popJson.core_radius_um,
    nFullColumn: popJson.n_full_column,
    nCore: popJson.n_core,
    rule: (s, t) => rules[s * P + t],
    edgeTypeRow,
    edgeTypes: {
      edgeTypeId: Int32Array.from(et.edge_type_id),
      synWeight: Float64Array.from(et.syn_weight),
      ruleEE: Uint8Array.from(et.weight_function.map((f: string) => (f === 'DirectionRule_EE' ? 1 : 0))),
      weightSigma: Float64Array.from(et.weight_sigma),
      delayMs: Float64Array.from(et.delay_ms),
      receptor: Uint8Array.from(et.receptor),
    },
    bkg: {
      nsyns: bkgJson.nsyns,
      nSources: bkgJson.n_sources,
      perNeuron: bkgJson.connections_per_neuron,
      rateHz: bkgJson.rate_hz,
      synWeight: Float64Array.from(popArr((p) => bkgJson.populations[p.name].syn_weight * bkgFactor[p.name])),
      receptor: Uint8Array.from(popArr((p) => bkgJson.populations[p.name].receptor)),
      delayMs: Float64Array.from(popArr((p) => bkgJson.populations[p.name].delay_ms)),
    },
    lgn: {
      delayMs: lgnJson.delay_ms,
      rules: popArr((p) => lgnJson.rules[p.lgnKey] as LgnRule),
      synWeight: Float64Array.from(popArr((p) => lgnJson.populations[p.name].syn_weight)),
      receptor: Uint8Array.from(popArr((p) => lgnJson.populations[p.name].receptor)),
    },
  }
  return cached
}
