/** buildNetwork: V1 (+ LM) columns, recurrent, LGN, BKG and inter-area blocks from the published tables. */
import { V1lmError } from '../errors.js'
import { generateColumn, nearestToAxis, selectNeurons, V1_LM_RATIO, type Column } from './column.js'
import { connect, type EdgeList, type NeuronSet, type PairRule } from './connect.js'
import { connectInterarea, LM_CORE_RADIUS, loadInterareaTable, type InterareaTable } from './interarea.js'
import { connectLgn, loadLgnUnitColumns, type LgnUnitColumns } from './lgn-edges.js'
import { fmix32, rowKey, Stream } from './rng.js'
import { loadTables, type Tables } from './tables.js'
import type { AreaNetwork, ConnectionBlock, Network } from './types.js'
import { delaySteps, directionRuleWeight, maxDelaySteps } from './weights.js'

export type InterareaWeightDistribution = 'billeh_weights' | 'zero_weights' | 'random_weights' | 'disconnected'

export interface BuildOptions {
  /** V1 neurons (reference flag v1_neurons); 0 = the whole column. */
  v1Neurons: number
  /** LM neurons (lm_neurons); ignored when realisticNeuronsRatio; 0 with the ratio off = no LM area. */
  lmNeurons?: number
  seed?: number
  coreOnly?: boolean
  connectedSelection?: boolean
  realisticNeuronsRatio?: boolean
  nInput?: number
  interareaWeightDistribution?: InterareaWeightDistribution
  E4WeightFactor?: number
  disconnectV1LmL6ExcitatoryProjections?: boolean
  randomWeights?: boolean
  inputWeightScale?: number
  nOutput?: number
  neuronsPerOutput?: number
  /** LGN unit columns; default: the adapter loadLgnUnitColumns(); false = no LGN block. */
  lgnUnits?: LgnUnitColumns | false
  /** User inter-area tables in the reference JSON format (default: data/network/*_connection_probabilities.json). */
  interareaTables?: { v1ToLm?: InterareaTable; lmToV1?: InterareaTable }
  /** LM from an independently drawn column instead of the reference's copy of V1's central neurons. */
  lmIndependentColumn?: boolean
}

export const BUILD_DEFAULTS = {
  lmNeurons: 10, seed: 3000, coreOnly: false, connectedSelection: true, realisticNeuronsRatio: true, nInput: 17400,
  interareaWeightDistribution: 'billeh_weights' as InterareaWeightDistribution, E4WeightFactor: 1,
  disconnectV1LmL6ExcitatoryProjections: false, randomWeights: false, inputWeightScale: 1, nOutput: 10,
  neuronsPerOutput: 16, lmIndependentColumn: false,
}

/** SPEC §7.5 laminar keys, always all 20 (some empty). */
export const LAMINAR_KEYS = ['1', '2', '4', '5', '6'].flatMap((l) => [`L${l}_e`, `L${l}_i_Pvalb`, `L${l}_i_Sst`, `L${l}_i_Htr3a`])

const STREAM_RECURRENT = 1
const STREAM_BKG = 2
const STREAM_V1_FROM_LM = 3
const STREAM_LM_FROM_V1 = 4

interface AreaBuild {
  area: AreaNetwork
  col: Column
  sel: Int32Array
  /** Per neuron: population index, global type index. */
  pop: Uint8Array
  gtype: Int16Array
  vscale: Float64Array
  laminar: Uint8Array
}

function checkCount(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 0) throw new V1lmError('E_BAD_ARGUMENT', `${name} must be a non-negative integer, got ${v}`, name)
}

function buildArea(name: string, t: Tables, col: Column, n: number, coreRadius: number, nCoreArea: number, o: Required<Omit<BuildOptions, 'lgnUnits' | 'interareaTables'>>, areaIndex: number): AreaBuild {
  const sel = selectNeurons(col, { n, connectedSelection: o.connectedSelection, coreOnly: o.coreOnly, coreRadius, seed: o.seed + areaIndex })
  const N = sel.length
  const gtype = new Int16Array(N)
  const pop = new Uint8Array(N)
  for (let i = 0; i < N; i++) { gtype[i] = col.typeIndex[sel[i]]; pop[i] = col.popIndex[sel[i]] }
  const present = [...new Set(gtype)].sort((a, b) => a - b)
  const local = new Map(present.map((g, k) => [g, k]))
  const rank = new Int32Array(col.n)
  nearestToAxis(col).forEach((c, k) => { rank[c] = k })
  const area: AreaNetwork = {
    name,
    n: N,
    types: present.map((g) => structuredClone(t.nodeTypes[g].params)),
    nodeTypeIndex: Int32Array.from(gtype, (g) => local.get(g)!),
    x: Float32Array.from(sel, (c) => col.x[c]),
    y: Float32Array.from(sel, (c) => col.y[c]),
    z: Float32Array.from(sel, (c) => col.z[c]),
    tuningAngle: Float32Array.from(sel, (c) => col.tuningAngle[c]),
    popName: present.map((g) => t.nodeTypes[g].popName),
    nodeTypeId: Int32Array.from(present, (g) => t.nodeTypes[g].nodeTypeId),
    coreMask: Uint8Array.from(sel, (c) => (rank[c] < nCoreArea ? 1 : 0)),
    columnId: Int32Array.from(sel),
    laminarIndices: {},
    readoutNeuronIds: [],
  }
  const laminar = Uint8Array.from(pop, (p) => LAMINAR_KEYS.indexOf(t.populations[p].laminarKey))
  for (const [k, key] of LAMINAR_KEYS.entries()) {
    const ids: number[] = []
    for (let i = 0; i < N; i++) if (laminar[i] === k) ids.push(i)
    area.laminarIndices[key] = Int32Array.from(ids)
  }
  area.readoutNeuronIds = drawReadouts(area, o.seed, areaIndex, o.nOutput, o.neuronsPerOutput)
  const vscale = Float64Array.from(gtype, (g) => t.nodeTypes[g].params.V_th - t.nodeTypes[g].params.E_L)
  return { area, col, sel, pop, gtype, vscale, laminar }
}

/**
 * SPEC §7.6 readouts: L5 excitatory (pop_name e5…) neurons of the core, nOutput·neuronsPerOutput drawn without
 * replacement (stream 103 + area index), nOutput rows.
 */
export function drawReadouts(area: AreaNetwork, seed: number, areaIndex: number, nOutput: number, neuronsPerOutput: number): Int32Array[] {
  const want = nOutput * neuronsPerOutput
  if (want <= 0) return []
  const cand: number[] = []
  for (let i = 0; i < area.n; i++) if (area.coreMask[i] && area.popName[area.nodeTypeIndex[i]].startsWith('e5')) cand.push(i)
  if (cand.length < want) {
    throw new V1lmError('E_BAD_ARGUMENT', `${area.name}: ${want} readout neurons (n_output·neurons_per_output) requested but only ${cand.length} L5 excitatory core neurons exist; raise the neuron count or lower neurons_per_output (0 disables readouts)`, 'neurons_per_output')
  }
  const pick = new Stream(seed, 103 + areaIndex).shuffle(Int32Array.from(cand)).subarray(0, want)
  return Array.from({ length: nOutput }, (_, r) => Int32Array.from(pick.subarray(r * neuronsPerOutput, (r + 1) * neuronsPerOutput)))
}

/** SPEC §6.3: the K BKG sources (of nSources) of one neuron, ascending; a hash of (seed, area, column id). */
export function bkgSources(seed: number, areaIndex: number, columnId: number, K: number, nSources: number): number[] {
  const key = rowKey(seed, STREAM_BKG + 16 * areaIndex, columnId)
  return Array.from({ length: K }, (_, k) => Math.floor((fmix32((key + k * 0x9e3779b9) >>> 0) / 4294967296) * nSources)).sort((a, b) => a - b)
}

function neuronSet(a: AreaBuild, group: Uint8Array): NeuronSet {
  return { n: a.area.n, x: a.area.x, z: a.area.z, tuningAngle: a.area.tuningAngle, group, id: a.area.columnId }
}

interface RawBlock { name: string; kind: ConnectionBlock['kind']; target: number; source: number; edges: EdgeList | { post: Int32Array; pre: Int32Array; nsyns: ArrayLike<number> }; weight: Float32Array; delayMs: Float64Array; receptor: Uint8Array; edgeTypeId: Int32Array }

/** Weight, delay, receptor and edge type of V1-V1-type edges (recurrent, and inter-area with `factor` 0.25). */
function v1v1Weights(t: Tables, trg: AreaBuild, src: AreaBuild, e: EdgeList, srcX: Float32Array, srcZ: Float32Array, factor: number) {
  const P = t.populations.length
  const E = e.post.length
  const weight = new Float32Array(E), delayMs = new Float64Array(E), receptor = new Uint8Array(E), edgeTypeId = new Int32Array(E)
  const et = t.edgeTypes
  for (let k = 0; k < E; k++) {
    const i = e.post[k], j = e.pre[k]
    const row = t.edgeTypeRow[trg.gtype[i] * P + src.pop[j]]
    if (row < 0) throw new V1lmError('E_BAD_NETWORK', `no edge type for target type ${t.nodeTypes[trg.gtype[i]].nodeTypeId} ← ${t.populations[src.pop[j]].name}`, 'edge_types.json')
    const w = directionRuleWeight(et.synWeight[row], e.nsyns[k], et.weightSigma[row], et.ruleEE[row] === 1,
      trg.area.x[i], trg.area.z[i], trg.area.tuningAngle[i], srcX[j], srcZ[j], src.area.tuningAngle[j])
    weight[k] = (factor * w) / trg.vscale[i]
    delayMs[k] = et.delayMs[row]
    receptor[k] = et.receptor[row]
    edgeTypeId[k] = et.edgeTypeId[row]
  }
  return { weight, delayMs, receptor, edgeTypeId }
}

/** Shuffles `w` within groups of equal `group` value (deterministic). */
function shuffleWithin(w: Float32Array, group: ArrayLike<number>, rs: Stream): void {
  const byGroup = new Map<number, number[]>()
  for (let k = 0; k < w.length; k++) {
    let g = byGroup.get(group[k])
    if (!g) byGroup.set(group[k], (g = []))
    g.push(k)
  }
  for (const idx of byGroup.values()) {
    const vals = rs.shuffle(Float32Array.from(idx, (k) => w[k]))
    idx.forEach((k, m) => { w[k] = vals[m] })
  }
}

export function buildNetwork(options: BuildOptions): Network {
  const t0 = performance.now()
  const o = { ...BUILD_DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) } as Required<Omit<BuildOptions, 'lgnUnits' | 'interareaTables'>> & BuildOptions
  checkCount('v1_neurons', o.v1Neurons)
  checkCount('lm_neurons', o.lmNeurons)
  checkCount('neurons_per_output', o.neuronsPerOutput)
  checkCount('n_output', o.nOutput)
  if (!Number.isInteger(o.seed)) throw new V1lmError('E_BAD_ARGUMENT', `seed must be an integer, got ${o.seed}`, 'seed')
  if (o.nInput !== 17400) throw new V1lmError('E_BAD_ARGUMENT', `n_input ${o.nInput} is not supported: only the full 17,400-unit LGN (SPEC §6.2 calls the reduction inconsistent)`, 'n_input')
  if (!['billeh_weights', 'zero_weights', 'random_weights', 'disconnected'].includes(o.interareaWeightDistribution)) {
    throw new V1lmError('E_BAD_ARGUMENT', `interarea_weight_distribution must be billeh_weights, zero_weights, random_weights or disconnected, got ${o.interareaWeightDistribution}`, 'interarea_weight_distribution')
  }
  const t = loadTables()
  const timings: Record<string, number> = {}
  const lap = (k: string, s: number) => { timings[k] = Math.round(performance.now() - s) }

  let s = performance.now()
  const v1Col = generateColumn(t, o.seed)
  const v1 = buildArea('v1', t, v1Col, o.v1Neurons, t.coreRadius, t.nCore, o, 0)
  const nLm = o.realisticNeuronsRatio ? Math.floor(v1.area.n / V1_LM_RATIO) : o.lmNeurons
  const areas = [v1]
  if (nLm > 0) {
    const lmCol = o.lmIndependentColumn ? generateColumn(t, (o.seed ^ 0x5bd1e995) >>> 0) : v1Col
    areas.push(buildArea('lm', t, lmCol, nLm, LM_CORE_RADIUS, Math.floor(t.nCore / V1_LM_RATIO), o, 1))
  }
  lap('nodes', s)

  const raw: RawBlock[] = []
  const P = t.populations.length
  const popRules: (PairRule | null)[] = []
  for (let a = 0; a < P; a++) for (let b = 0; b < P; b++) popRules.push(t.rule(a, b))
  areas.forEach((A, ai) => {
    s = performance.now()
    const set = neuronSet(A, A.pop)
    const e = connect(set, set, { seed: o.seed, stream: STREAM_RECURRENT, rules: popRules, nSourceGroups: P, nTargetGroups: P, excludeSelf: true })
    raw.push({ name: `${A.area.name}.recurrent`, kind: 'recurrent', target: ai, source: ai, edges: e, ...v1v1Weights(t, A, A, e, A.area.x, A.area.z, 1) })
    lap(`${A.area.name}.recurrent`, s)
  })

  // LGN → V1 (SPEC §6.2)
  if (o.lgnUnits !== false) {
    s = performance.now()
    const units = o.lgnUnits ?? loadLgnUnitColumns()
    if (units.n !== o.nInput) throw new V1lmError('E_BAD_ARGUMENT', `the LGN unit table has ${units.n} units, expected ${o.nInput}`, 'lgnUnits')
    const e = connectLgn(units, { n: v1.area.n, x: v1.area.x, z: v1.area.z, tuningAngle: v1.area.tuningAngle, pop: v1.pop, id: v1.area.columnId }, t, o.seed)
    const E = e.post.length
    raw.push({
      name: 'v1.lgn', kind: 'lgn', target: 0, source: -1, edges: e,
      weight: Float32Array.from(e.post, (i, k) => (t.lgn.synWeight[v1.pop[i]] * e.nsyns[k] * o.inputWeightScale) / v1.vscale[i]),
      delayMs: new Float64Array(E), receptor: Uint8Array.from(e.post, (i) => t.lgn.receptor[v1.pop[i]]),
      edgeTypeId: Int32Array.from(e.post, (i) => v1.pop[i]),
    })
    lap('v1.lgn', s)
  }

  // BKG (SPEC §6.3): perNeuron edges per neuron, sources uniform over nSources, full Billeh weight each
  areas.forEach((A, ai) => {
    const K = t.bkg.perNeuron
    const E = A.area.n * K
    const post = new Int32Array(E), pre = new Int32Array(E)
    for (let i = 0; i < A.area.n; i++) {
      const src = bkgSources(o.seed, ai, A.area.columnId[i], K, t.bkg.nSources)
      for (let k = 0; k < K; k++) { post[i * K + k] = i; pre[i * K + k] = src[k] }
    }
    raw.push({
      name: `${A.area.name}.bkg`, kind: 'bkg', target: ai, source: -1, edges: { post, pre, nsyns: new Uint8Array(E) },
      weight: Float32Array.from(post, (i) => (t.bkg.synWeight[A.pop[i]] * t.bkg.nsyns * o.inputWeightScale) / A.vscale[i]),
      delayMs: new Float64Array(E), receptor: Uint8Array.from(post, (i) => t.bkg.receptor[A.pop[i]]),
      edgeTypeId: Int32Array.from(post, (i) => A.pop[i]),
    })
  })

  // V1 ↔ LM (SPEC §8)
  if (areas.length === 2) {
    const lm = areas[1]
    const dirs = [
      { trg: v1, src: lm, ti: 0, si: 1, name: 'v1.from_lm', table: o.interareaTables?.lmToV1 ?? loadInterareaTable('lm_to_v1'), ratio: 400 / LM_CORE_RADIUS, stream: STREAM_V1_FROM_LM },
      { trg: lm, src: v1, ti: 1, si: 0, name: 'lm.from_v1', table: o.interareaTables?.v1ToLm ?? loadInterareaTable('v1_to_lm'), ratio: LM_CORE_RADIUS / 400, stream: STREAM_LM_FROM_V1 },
    ]
    for (const d of dirs) {
      s = performance.now()
      const { edges, projected } = connectInterarea(neuronSet(d.src, d.src.laminar), neuronSet(d.trg, d.trg.laminar), d.table,
        d.src.area.name, d.trg.area.name, LAMINAR_KEYS, d.ratio, o.seed, d.stream)
      const dist = o.interareaWeightDistribution
      const w = v1v1Weights(t, d.trg, d.src, edges, projected.x, projected.z, dist === 'random_weights' ? 1 : 0.25)
      if (dist === 'zero_weights' || dist === 'disconnected') w.weight.fill(0)
      if (dist === 'disconnected') { w.delayMs.fill(1); w.receptor.fill(1) }
      if (dist === 'random_weights') {
        const pairType = Int32Array.from(edges.post, (i, k) => d.src.laminar[edges.pre[k]] * 64 + d.trg.laminar[i])
        shuffleWithin(w.weight, pairType, new Stream(o.seed, 200 + d.stream))
      }
      if (d.name === 'lm.from_v1') {
        // SPEC §7.7 post-build options on excitatory V1 → LM weights
        for (let k = 0; k < edges.post.length; k++) {
          const key = LAMINAR_KEYS[lm.laminar[edges.post[k]]]
          if (w.weight[k] > 0 && key === 'L4_e' && o.E4WeightFactor !== 1) w.weight[k] *= o.E4WeightFactor
          if (w.weight[k] > 0 && key === 'L6_e' && o.disconnectV1LmL6ExcitatoryProjections) w.weight[k] = 0
        }
      }
      raw.push({ name: d.name, kind: 'interarea', target: d.ti, source: d.si, edges, ...w })
      lap(d.name, s)
    }
  }

  // SPEC §3.3: common D from the recurrent delays; per-synapse steps
  let maxMs = 0
  for (const b of raw) if (b.kind === 'recurrent') for (const v of b.delayMs) if (v > maxMs) maxMs = v
  const D = maxDelaySteps(maxMs)
  if (o.randomWeights) {
    for (const b of raw) if (b.kind === 'recurrent') shuffleWithin(b.weight, b.edgeTypeId, new Stream(o.seed, 300 + b.target))
  }
  const blocks: ConnectionBlock[] = raw.map((b) => ({
    name: b.name, kind: b.kind, target: b.target, source: b.source,
    pre: b.edges.pre, post: b.edges.post, receptor: b.receptor,
    delay: b.kind === 'recurrent' || b.kind === 'interarea' ? Uint8Array.from(b.delayMs, (ms) => delaySteps(ms, D)) : new Uint8Array(b.edges.post.length),
    weight: b.weight, edgeTypeId: b.edgeTypeId,
  }))
  timings.total = Math.round(performance.now() - t0)
  return {
    areas: areas.map((a) => a.area),
    blocks,
    nInputs: o.nInput,
    nBkgSources: t.bkg.nSources,
    maxDelay: D,
    seed: o.seed,
    meta: {
      builder: 'v1lm network builder (Billeh 2020 tables, SPEC §6-§8)',
      options: { ...o, lgnUnits: o.lgnUnits === false ? false : o.lgnUnits ? 'user' : 'default', interareaTables: o.interareaTables ? 'user' : 'default' },
      columnNeurons: v1Col.n,
      maxSampleRadius: areas.map((a) => a.sel.reduce((m, c) => Math.max(m, a.col.radius[c]), 0)),
      bkgRateHz: t.bkg.rateHz,
      timingsMs: timings,
    },
  }
}
