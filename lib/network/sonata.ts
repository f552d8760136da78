/**
 * SONATA import and export (SPEC §7.1–§7.4, §3.3, §3.4, §6.2, §6.3) through h5wasm.
 *
 * importSonata reads nodes/edges HDF5 files with their node/edge type CSVs (space separated), GLIF cell configs
 * (raw Allen `_glif_lif_asc_config.json` or NEST-unit `glif_psc` JSON) and synaptic model JSONs (`receptor_type`),
 * and returns the Network the builder makes. exportSonata writes any Network as a SONATA circuit that NEST
 * (`nest.SonataNetwork`) and BMTK (pointnet) read: per-edge `syn_weight` in pA, NEST-unit cell models.
 */
import fs from 'node:fs'
import path from 'node:path'
import h5wasm from 'h5wasm/node'
import { V1lmError } from '../errors.js'
import { bkgSources, drawReadouts, LAMINAR_KEYS } from './build.js'
import { selectNeurons, V1_LM_RATIO, type Column } from './column.js'
import { LM_CORE_RADIUS } from './interarea.js'
import { laminarKeyOf } from './tables.js'
import type { AreaNetwork, BlockKind, ConnectionBlock, Network, NeuronTypeParams } from './types.js'
import { delaySteps, directionRuleWeight, maxDelaySteps } from './weights.js'

/** Explicit file lists: nodes[i] goes with nodeTypes[i], edges[j] with edgeTypes[j]. */
export interface SonataFiles {
  nodes: string | string[]
  nodeTypes: string | string[]
  edges: string | string[]
  edgeTypes: string | string[]
  /** Directory of the cell model JSONs named by `dynamics_params` (or `{node_type_id}_glif_lif_asc_config.json`). */
  glifDir: string
  /** Directory of the synaptic model JSONs named by the edge types' `dynamics_params` (default: glifDir). */
  synapseDir?: string
}

export interface SonataImportOptions {
  /** SPEC §7.3 selection per area: neurons of 'v1' / 'lm' (0 or absent = all nodes of the population). */
  v1Neurons?: number
  lmNeurons?: number
  /** n_LM = int(n_V1 / 7.0104) (default false on import). */
  realisticNeuronsRatio?: boolean
  connectedSelection?: boolean
  coreOnly?: boolean
  /** Seed of selections, readouts and BKG sources (default: the exported network's seed, else 3000). */
  seed?: number
  /** Scale of LGN and BKG weights (SPEC §3.4, default 1). */
  inputWeightScale?: number
  /** Readouts (SPEC §7.6); default: the exported network's readouts, else none. */
  nOutput?: number
  neuronsPerOutput?: number
  /** D in steps; default: the exported network's D, else round(min(max recurrent delay, 5)) (SPEC §3.3). */
  maxDelay?: number
}

const FORMAT = 'v1lm-sonata'
const FORMAT_VERSION = 1
/** SPEC §3.1: receptor id = synaptic model `receptor_type` − 1; file names of the Allen convention. */
const RECEPTOR_FILES = ['e2e.json', 'i2e.json', 'e2i.json', 'i2i.json']
/** SPEC §6.3: a single-node BKG population is replicated to K edges per neuron from 100 sources. */
const BKG_CONNECTIONS = 4
const BKG_SOURCES = 100
/** NEST glif_psc receptor time constants (SPEC §3.1). */
const TAU_SYN = [5.5, 8.5, 2.8, 5.8]
/** SPEC §7.6: core sizes of V1 and LM. */
const N_CORE = 51978

let ready: Promise<unknown> | undefined
async function h5(): Promise<typeof h5wasm> {
  ready ??= h5wasm.ready
  await ready
  return h5wasm
}

const badFile = (file: string, msg: string, field = file) => new V1lmError('E_BAD_FILE', `${file}: ${msg}`, field)

// ---------------------------------------------------------------------------------------------------------------
// CSV (SONATA type tables: space separated, first row the header, "quoted values" may hold spaces)

interface Table { file: string; header: string[]; rows: Record<string, string>[] }

export function readTypeTable(file: string): Table {
  let text: string
  try {
    text = fs.readFileSync(file, 'utf8')
  } catch (err) {
    throw badFile(file, `cannot read: ${(err as Error).message}`)
  }
  const split = (line: string) => [...line.matchAll(/"([^"]*)"|'([^']*)'(?=\s|$)|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3])
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '')
  if (lines.length === 0) throw badFile(file, 'empty type table; it needs a header row')
  const header = split(lines[0])
  const rows = lines.slice(1).map((l, r) => {
    const v = split(l)
    if (v.length !== header.length) throw badFile(file, `row ${r + 2} has ${v.length} values for ${header.length} columns (values with spaces must be quoted)`)
    return Object.fromEntries(header.map((h, k) => [h, v[k]]))
  })
  return { file, header, rows }
}

function writeTypeTable(file: string, header: string[], rows: (string | number)[][]): void {
  const q = (v: string | number) => (typeof v === 'string' && /\s/.test(v) ? `"${v}"` : String(v))
  fs.writeFileSync(file, [header, ...rows].map((r) => r.map(q).join(' ')).join('\n') + '\n')
}

// ---------------------------------------------------------------------------------------------------------------
// HDF5 helpers

type H5File = InstanceType<typeof h5wasm.File>
type H5Group = InstanceType<typeof h5wasm.Group>
type H5Dataset = InstanceType<typeof h5wasm.Dataset>

function openH5(lib: typeof h5wasm, file: string): H5File {
  if (!fs.existsSync(file)) throw badFile(file, 'no such file')
  try {
    return new lib.File(file, 'r')
  } catch (err) {
    throw badFile(file, `not a readable HDF5 file (${(err as Error).message})`)
  }
}

/** A numeric dataset as float64 (int64 ids included). */
function numbers(ds: unknown, file: string, what: string): Float64Array {
  const v = (ds as H5Dataset | null)?.value
  if (v === null || v === undefined || typeof v !== 'object' || !('length' in (v as object))) throw badFile(file, `dataset ${what} is missing or not numeric`, what)
  const a = v as ArrayLike<number | bigint>
  const out = new Float64Array(a.length)
  for (let i = 0; i < a.length; i++) out[i] = Number(a[i])
  return out
}

function isGroup(e: unknown): e is H5Group {
  return e instanceof h5wasm.Group
}

/** Per-element attribute of a population with node/edge groups: values[groupOf[k]][indexOf[k]]; undefined if absent everywhere. */
function groupAttribute(pop: H5Group, name: string, groupId: Float64Array, groupIndex: Float64Array, file: string): Float64Array | undefined {
  const cache = new Map<number, Float64Array | null>()
  let any = false
  const out = new Float64Array(groupId.length).fill(NaN)
  for (let k = 0; k < groupId.length; k++) {
    const g = groupId[k]
    let vals = cache.get(g)
    if (vals === undefined) {
      const grp = pop.get(String(g))
      const ds = isGroup(grp) ? grp.get(name) : null
      vals = ds ? numbers(ds, file, `${pop.path}/${g}/${name}`) : null
      if (vals) any = true
      cache.set(g, vals)
    }
    if (vals) out[k] = vals[groupIndex[k]]
  }
  return any ? out : undefined
}

function onlyPopulation(f: H5File, root: 'nodes' | 'edges', file: string): { name: string; pop: H5Group }[] {
  const top = f.get(root)
  if (!isGroup(top)) throw badFile(file, `no /${root} group (not a SONATA ${root} file)`)
  return top.keys().map((name) => {
    const pop = top.get(name)
    if (!isGroup(pop)) throw badFile(file, `/${root}/${name} is not a group`)
    return { name, pop }
  })
}

// ---------------------------------------------------------------------------------------------------------------
// Locating the files

interface Located { nodes: [string, string][]; edges: [string, string][]; glifDir: string; synapseDir: string; v1lm?: any }

function resolveConfig(file: string): Located {
  let cfg: any
  try {
    cfg = JSON.parse(fs.readFileSync(file, 'utf8'))
  } catch (err) {
    throw badFile(file, `cannot read the circuit config: ${(err as Error).message}`)
  }
  const base = path.dirname(file)
  const vars: Record<string, string> = {}
  for (const [k, v] of Object.entries(cfg.manifest ?? {})) vars[k] = String(v)
  const expand = (s: string): string => {
    for (let i = 0; i < 10 && s.includes('$'); i++) s = s.replace(/\$[A-Za-z_][A-Za-z0-9_]*/g, (m) => vars[m] ?? vars[m.slice(1)] ?? m)
    if (s.includes('$')) throw badFile(file, `unresolved manifest variable in ${s}`)
    return path.resolve(base, s)
  }
  const pairs = (list: any[], a: string, b: string) => (list ?? []).map((e: any) => {
    if (typeof e?.[a] !== 'string' || typeof e?.[b] !== 'string') throw badFile(file, `networks entry needs ${a} and ${b}`)
    return [expand(e[a]), expand(e[b])] as [string, string]
  })
  const comp = cfg.components ?? {}
  const glif = comp.point_neuron_models_dir ?? comp.cell_models_dir
  if (typeof glif !== 'string') throw badFile(file, 'components.point_neuron_models_dir is missing (the GLIF cell model JSONs)')
  return {
    nodes: pairs(cfg.networks?.nodes, 'nodes_file', 'node_types_file'),
    edges: pairs(cfg.networks?.edges, 'edges_file', 'edge_types_file'),
    glifDir: expand(glif),
    synapseDir: expand(comp.synaptic_models_dir ?? glif),
    v1lm: cfg.v1lm,
  }
}

function locate(src: string | SonataFiles): Located {
  if (typeof src !== 'string') {
    const list = (v: string | string[]) => (Array.isArray(v) ? v : [v])
    const n = list(src.nodes), nt = list(src.nodeTypes), e = list(src.edges), et = list(src.edgeTypes)
    if (n.length !== nt.length || e.length !== et.length) throw new V1lmError('E_BAD_ARGUMENT', 'importSonata: nodes/nodeTypes and edges/edgeTypes must pair up (same lengths)', 'files')
    return { nodes: n.map((f, i) => [f, nt[i]]), edges: e.map((f, i) => [f, et[i]]), glifDir: src.glifDir, synapseDir: src.synapseDir ?? src.glifDir }
  }
  for (const c of ['circuit_config.json', 'config.circuit.json', 'config.json']) {
    const f = path.join(src, c)
    if (fs.existsSync(f) && JSON.parse(fs.readFileSync(f, 'utf8')).networks) return resolveConfig(f)
  }
  if (fs.existsSync(src) && fs.statSync(src).isFile()) return resolveConfig(src)
  const net = fs.existsSync(path.join(src, 'network')) ? path.join(src, 'network') : src
  const files = fs.existsSync(net) ? fs.readdirSync(net).sort() : []
  const pairOf = (suffix: string, typesSuffix: string) => files.filter((f) => f.endsWith(suffix)).map((f) => {
    const t = path.join(net, f.slice(0, -suffix.length) + typesSuffix)
    if (!fs.existsSync(t)) throw badFile(path.join(net, f), `no type table ${path.basename(t)} beside it`)
    return [path.join(net, f), t] as [string, string]
  })
  const nodes = pairOf('_nodes.h5', '_node_types.csv')
  if (nodes.length === 0) throw new V1lmError('E_BAD_FILE', `${src}: no circuit config (circuit_config.json) and no *_nodes.h5 files; pass the directory of a SONATA network or the file lists`, src)
  const comp = path.join(src, 'components')
  const glifDir = ['cell_models', 'point_neuron_models'].map((d) => path.join(comp, d)).find((d) => fs.existsSync(d)) ?? net
  const syn = path.join(comp, 'synaptic_models')
  return { nodes, edges: pairOf('_edges.h5', '_edge_types.csv'), glifDir, synapseDir: fs.existsSync(syn) ? syn : glifDir }
}

// ---------------------------------------------------------------------------------------------------------------
// Cell and synapse models

/** GLIF3 parameters from a raw Allen config (SPEC §7.4), a NEST glif_psc JSON, or a NEST iaf_psc_alpha JSON. */
export function cellParams(json: any, file: string): NeuronTypeParams {
  const need = (o: any, keys: string[]) => {
    for (const k of keys) if (o?.[k] === undefined) throw badFile(file, `cell model lacks "${k}"`)
  }
  if (json?.coeffs) {
    need(json, ['El', 'El_reference', 'th_inf', 'R_input', 'C', 'spike_cut_length', 'dt', 'asc_amp_array', 'asc_tau_array'])
    const E_L = (json.El + json.El_reference) * 1e3
    return {
      V_th: json.coeffs.th_inf * json.th_inf * 1e3 + json.El_reference * 1e3,
      E_L,
      g: (json.coeffs.G / json.R_input) * 1e9,
      C_m: json.coeffs.C * json.C * 1e12,
      V_reset: E_L,
      t_ref: json.spike_cut_length * json.dt * 1e3,
      k: json.asc_tau_array.map((t: number) => (1 / t) * 1e-3),
      asc_amps: json.asc_amp_array.map((a: number, i: number) => a * json.coeffs.asc_amp_array[i] * 1e12),
    }
  }
  if (json?.asc_decay) {
    need(json, ['V_th', 'E_L', 'g', 'C_m', 't_ref', 'asc_amps'])
    return { V_th: json.V_th, E_L: json.E_L, g: json.g, C_m: json.C_m, V_reset: json.V_reset ?? json.E_L, t_ref: json.t_ref, k: [json.asc_decay[0], json.asc_decay[1]], asc_amps: [json.asc_amps[0], json.asc_amps[1]] }
  }
  if (json?.tau_m !== undefined) {
    // LIF (nest:iaf_psc_alpha): GLIF3 without after-spike currents; k only has to be positive (amplitudes are 0)
    need(json, ['C_m', 'E_L', 'V_th', 't_ref'])
    return { V_th: json.V_th, E_L: json.E_L, g: json.C_m / json.tau_m, C_m: json.C_m, V_reset: json.V_reset ?? json.E_L, t_ref: json.t_ref, k: [1, 1], asc_amps: [0, 0] }
  }
  throw badFile(file, 'not a GLIF cell model: expected a raw Allen GLIF config (coeffs, th_inf, …), a NEST glif_psc JSON (asc_decay, …) or a NEST iaf_psc_alpha JSON (tau_m, …)')
}

function readJsonFile(file: string): any {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'))
  } catch (err) {
    throw badFile(file, `cannot read: ${(err as Error).message}`)
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Import

interface NodePop {
  name: string
  file: string
  virtual: boolean
  /** Sorted SONATA node ids and, per node: type row, x, y, z, tuning angle, extensions. */
  nodeId: Float64Array
  typeRow: Int32Array
  types: Table['rows']
  x: Float64Array; y: Float64Array; z: Float64Array; angle: Float64Array
  columnId?: Float64Array
  coreMask?: Float64Array
}

function readNodes(lib: typeof h5wasm, file: string, typesFile: string): NodePop[] {
  const table = readTypeTable(typesFile)
  if (!table.header.includes('node_type_id')) throw badFile(typesFile, 'no node_type_id column')
  const rowOf = new Map(table.rows.map((r, i) => [Number(r.node_type_id), i]))
  const f = openH5(lib, file)
  try {
    return onlyPopulation(f, 'nodes', file).map(({ name, pop }) => {
      const ids = numbers(pop.get('node_id'), file, `/nodes/${name}/node_id`)
      const typeIds = numbers(pop.get('node_type_id'), file, `/nodes/${name}/node_type_id`)
      const N = ids.length
      const gid = pop.get('node_group_id') ? numbers(pop.get('node_group_id'), file, 'node_group_id') : new Float64Array(N)
      const gidx = pop.get('node_group_index') ? numbers(pop.get('node_group_index'), file, 'node_group_index') : Float64Array.from(ids.keys())
      const attr = (k: string) => groupAttribute(pop, k, gid, gidx, file)
      const order = Array.from(ids.keys()).sort((a, b) => ids[a] - ids[b])
      for (let k = 1; k < N; k++) if (ids[order[k]] === ids[order[k - 1]]) throw badFile(file, `population ${name}: node id ${ids[order[k]]} appears twice`)
      const perm = (a: Float64Array | undefined) => (a ? Float64Array.from(order, (k) => a[k]) : undefined)
      const typeRow = Int32Array.from(order, (k) => {
        const r = rowOf.get(typeIds[k])
        if (r === undefined) throw badFile(file, `population ${name}: node type ${typeIds[k]} is not in ${path.basename(typesFile)}`)
        return r
      })
      const virtual = N > 0 && table.rows[typeRow[0]].model_type === 'virtual'
      const nan = new Float64Array(N).fill(NaN)
      return {
        name, file, virtual, nodeId: perm(ids)!, typeRow, types: table.rows,
        x: perm(attr('x')) ?? nan, y: perm(attr('y')) ?? nan, z: perm(attr('z')) ?? nan, angle: perm(attr('tuning_angle')) ?? nan,
        columnId: perm(attr('column_id')), coreMask: perm(attr('core_mask')),
      }
    })
  } finally {
    f.close()
  }
}

interface EdgePop { name: string; file: string; src: string; trg: string; pre: Float64Array; post: Float64Array; typeId: Float64Array; nsyns?: Float64Array; synWeight?: Float64Array; delay?: Float64Array; types: Map<number, Record<string, string>>; typesFile: string }

function readEdges(lib: typeof h5wasm, file: string, typesFile: string): EdgePop[] {
  const table = readTypeTable(typesFile)
  for (const c of ['edge_type_id', 'dynamics_params']) if (!table.header.includes(c)) throw badFile(typesFile, `no ${c} column`)
  const types = new Map(table.rows.map((r) => [Number(r.edge_type_id), r]))
  const f = openH5(lib, file)
  try {
    return onlyPopulation(f, 'edges', file).map(({ name, pop }) => {
      const popOf = (d: string) => {
        const ds = pop.get(d) as H5Dataset | null
        const a = ds?.attrs?.node_population?.value
        if (typeof a === 'string') return a
        const m = /^(.+)_to_(.+)$/.exec(name)
        if (!m) throw badFile(file, `edge population ${name}: ${d} has no node_population attribute and the name is not <source>_to_<target>`)
        return d === 'source_node_id' ? m[1] : m[2]
      }
      const pre = numbers(pop.get('source_node_id'), file, `/edges/${name}/source_node_id`)
      const E = pre.length
      const gid = pop.get('edge_group_id') ? numbers(pop.get('edge_group_id'), file, 'edge_group_id') : new Float64Array(E)
      const gidx = pop.get('edge_group_index') ? numbers(pop.get('edge_group_index'), file, 'edge_group_index') : Float64Array.from(pre.keys())
      const attr = (k: string) => groupAttribute(pop, k, gid, gidx, file)
      const post = numbers(pop.get('target_node_id'), file, `/edges/${name}/target_node_id`)
      const typeId = numbers(pop.get('edge_type_id'), file, `/edges/${name}/edge_type_id`)
      if (post.length !== E || typeId.length !== E || gid.length !== E) throw badFile(file, `edge population ${name}: source_node_id, target_node_id, edge_type_id and edge_group_id differ in length`)
      return {
        name, file, src: popOf('source_node_id'), trg: popOf('target_node_id'), pre, post, typeId,
        nsyns: attr('nsyns'), synWeight: attr('syn_weight'), delay: attr('delay'), types, typesFile,
      }
    })
  } finally {
    f.close()
  }
}

/** Edge indices ordered by (post, pre), stable (SPEC §3.4). */
function sortByPostPre(post: Int32Array, pre: Int32Array, nPost: number): Int32Array {
  const start = new Int32Array(nPost + 1)
  for (let k = 0; k < post.length; k++) start[post[k] + 1]++
  for (let i = 0; i < nPost; i++) start[i + 1] += start[i]
  const fill = start.slice(0, nPost)
  const order = new Int32Array(post.length)
  for (let k = 0; k < post.length; k++) order[fill[post[k]]++] = k
  for (let i = 0; i < nPost; i++) {
    const seg = order.subarray(start[i], start[i + 1])
    let sorted = true
    for (let a = 1; a < seg.length && sorted; a++) if (pre[seg[a]] < pre[seg[a - 1]]) sorted = false
    if (!sorted) seg.set(Array.from(seg).sort((a, b) => pre[a] - pre[b] || a - b))
  }
  return order
}

/** Growable per-edge columns of a block being imported. */
class EdgeColumns {
  post = new Int32Array(1024); pre = new Int32Array(1024); weight = new Float32Array(1024); delayMs = new Float64Array(1024)
  receptor = new Uint8Array(1024); edgeTypeId = new Int32Array(1024)
  length = 0
  push(post: number, pre: number, weight: number, delayMs: number, receptor: number, edgeTypeId: number): void {
    if (this.length === this.post.length) {
      for (const k of ['post', 'pre', 'weight', 'delayMs', 'receptor', 'edgeTypeId'] as const) {
        const a = this[k], b = new (a.constructor as new (n: number) => typeof a)(a.length * 2)
        b.set(a as never)
        ;(this as Record<typeof k, typeof a>)[k] = b
      }
    }
    const n = this.length++
    this.post[n] = post; this.pre[n] = pre; this.weight[n] = weight; this.delayMs[n] = delayMs; this.receptor[n] = receptor; this.edgeTypeId[n] = edgeTypeId
  }
  finish(): this {
    for (const k of ['post', 'pre', 'weight', 'delayMs', 'receptor', 'edgeTypeId'] as const) (this as Record<typeof k, unknown>)[k] = this[k].subarray(0, this.length)
    return this
  }
}

/** Node id → index into the sorted ids (identity fast path for contiguous 0..N−1). */
function indexOfId(ids: Float64Array): (id: number) => number | undefined {
  if (ids.length === 0 || (ids[0] === 0 && ids[ids.length - 1] === ids.length - 1)) return (id) => (id >= 0 && id < ids.length && Number.isInteger(id) ? id : undefined)
  const m = new Map(Array.from(ids, (id, k) => [id, k]))
  return (id) => m.get(id)
}

const AREA_ORDER = (n: string) => (n === 'v1' ? 0 : n === 'lm' ? 1 : 2)

/**
 * Reads a SONATA network into a Network (SPEC §7): areas = the non-virtual node populations (v1 first, then lm,
 * then by name); blocks: recurrent (same area), interarea (other area), lgn / bkg (virtual source population whose
 * name contains 'bkg' → bkg, otherwise lgn). `src` is a directory (circuit_config.json / config.circuit.json, or a
 * `network/` folder of `*_nodes.h5` + `*_node_types.csv`, `*_edges.h5` + `*_edge_types.csv` beside `components/`)
 * or explicit file lists.
 */
export async function importSonata(src: string | SonataFiles, options: SonataImportOptions = {}): Promise<Network> {
  const t0 = performance.now()
  const lib = await h5()
  const loc = locate(src)
  const v1lm = loc.v1lm?.format === FORMAT ? loc.v1lm : undefined
  const seed = options.seed ?? v1lm?.seed ?? 3000
  const inputScale = options.inputWeightScale ?? 1
  const warnings: string[] = []

  const pops = loc.nodes.flatMap(([f, t]) => readNodes(lib, f, t))
  const byName = new Map<string, NodePop>()
  for (const p of pops) {
    if (byName.has(p.name)) throw badFile(p.file, `node population ${p.name} is defined twice`)
    byName.set(p.name, p)
  }
  const areaPops = pops.filter((p) => !p.virtual).sort((a, b) => AREA_ORDER(a.name) - AREA_ORDER(b.name) || a.name.localeCompare(b.name))
  if (areaPops.length === 0) throw new V1lmError('E_BAD_FILE', 'SONATA network has no non-virtual node population', 'nodes')
  const virtualPops = pops.filter((p) => p.virtual)
  const lgnPops = virtualPops.filter((p) => !p.name.includes('bkg'))
  if (lgnPops.length > 1) throw badFile(lgnPops[1].file, `more than one LGN-like virtual population (${lgnPops.map((p) => p.name).join(', ')}); v1lm has one LGN input`)

  // --- areas, with SPEC §7.3 selection
  const selectedOf = new Map<string, { local: Int32Array; sel: Int32Array }>()
  const areas: AreaNetwork[] = []
  const selecting = options.v1Neurons !== undefined || options.lmNeurons !== undefined
  areaPops.forEach((p, ai) => {
    const N = p.nodeId.length
    const coreRadius = p.name === 'lm' ? LM_CORE_RADIUS : 400
    const radius = Float32Array.from(p.x, (x, i) => Math.hypot(x, p.z[i]))
    let want = p.name === 'v1' ? options.v1Neurons ?? 0 : p.name === 'lm' ? options.lmNeurons ?? 0 : 0
    if (p.name === 'lm' && options.realisticNeuronsRatio && areas[0]?.name === 'v1') want = Math.floor(areas[0].n / V1_LM_RATIO)
    if (want > 0 && radius.some((r) => !Number.isFinite(r))) throw badFile(p.file, `population ${p.name} has no x/z positions; selection needs them`)
    const col = { n: N, radius } as Column
    const sel = want > 0 ? selectNeurons(col, { n: want, connectedSelection: options.connectedSelection ?? true, coreOnly: options.coreOnly ?? false, coreRadius, seed: seed + ai }) : Int32Array.from({ length: N }, (_, i) => i)
    const local = new Int32Array(N).fill(-1)
    sel.forEach((s, i) => { local[s] = i })
    selectedOf.set(p.name, { local, sel })
    const typeRows = [...new Set(Array.from(sel, (s) => p.typeRow[s]))].sort((a, b) => a - b)
    const typeLocal = new Map(typeRows.map((r, k) => [r, k]))
    const types = typeRows.map((r) => {
      const row = p.types[r]
      const cands = [row.dynamics_params, `${row.node_type_id}_glif_lif_asc_config.json`].filter((f) => f && f !== 'NULL').map((f) => path.join(loc.glifDir, f))
      const file = cands.find((f) => fs.existsSync(f))
      if (!file) throw new V1lmError('E_BAD_FILE', `node type ${row.node_type_id}: no cell model ${cands.map((c) => path.basename(c)).join(' or ')} in ${loc.glifDir}`, cands[0])
      return cellParams(readJsonFile(file), file)
    })
    // core mask (SPEC §7.6): exported value, else the nCore nodes nearest the axis
    const nCore = p.name === 'lm' ? Math.floor(N_CORE / V1_LM_RATIO) : N_CORE
    const rank = new Int32Array(N)
    Int32Array.from({ length: N }, (_, i) => i).sort((a, b) => radius[a] - radius[b] || a - b).forEach((c, k) => { rank[c] = k })
    const popName = typeRows.map((r) => p.types[r].pop_name ?? p.types[r].model_name ?? String(p.types[r].node_type_id))
    const area: AreaNetwork = {
      name: p.name,
      n: sel.length,
      types,
      nodeTypeIndex: Int32Array.from(sel, (s) => typeLocal.get(p.typeRow[s])!),
      x: Float32Array.from(sel, (s) => p.x[s]),
      y: Float32Array.from(sel, (s) => p.y[s]),
      z: Float32Array.from(sel, (s) => p.z[s]),
      tuningAngle: Float32Array.from(sel, (s) => p.angle[s]),
      popName,
      nodeTypeId: Int32Array.from(typeRows, (r) => Number(p.types[r].node_type_id)),
      coreMask: Uint8Array.from(sel, (s) => (p.coreMask ? p.coreMask[s] : rank[s] < nCore ? 1 : 0)),
      columnId: Int32Array.from(sel, (s) => (p.columnId ? p.columnId[s] : p.nodeId[s])),
      laminarIndices: {},
      readoutNeuronIds: [],
    }
    // SPEC §7.5 laminar classes from pop_name
    const lam = popName.map((n) => (/^[ei]\d/.test(n) ? LAMINAR_KEYS.indexOf(laminarKeyOf(n)) : -1))
    for (const [k, key] of LAMINAR_KEYS.entries()) {
      const ids: number[] = []
      for (let i = 0; i < area.n; i++) if (lam[area.nodeTypeIndex[i]] === k) ids.push(i)
      area.laminarIndices[key] = Int32Array.from(ids)
    }
    if (options.nOutput !== undefined || options.neuronsPerOutput !== undefined) {
      area.readoutNeuronIds = drawReadouts(area, seed, ai, options.nOutput ?? 10, options.neuronsPerOutput ?? 16)
    } else if (v1lm?.readoutNeuronIds?.[p.name] && !selecting) {
      area.readoutNeuronIds = v1lm.readoutNeuronIds[p.name].map((r: number[]) => Int32Array.from(r))
    }
    areas.push(area)
  })
  const areaIndex = new Map(areas.map((a, i) => [a.name, i]))
  const vscale = areas.map((a) => Float64Array.from(a.nodeTypeIndex, (k) => a.types[k].V_th - a.types[k].E_L))

  // --- edges
  const receptorCache = new Map<string, number | null>()
  const receptorOf = (file: string): number | null => {
    if (!receptorCache.has(file)) {
      const f = path.join(loc.synapseDir, file)
      const rt = readJsonFile(f).receptor_type
      if (rt !== undefined && !(Number.isInteger(rt) && rt >= 1 && rt <= 4)) throw badFile(f, `receptor_type ${rt} is not 1..4`)
      receptorCache.set(file, rt === undefined ? null : rt - 1)
    }
    return receptorCache.get(file)!
  }
  const eiOf = (p: NodePop, s: number, file: string) => {
    const r = p.types[p.typeRow[s]]
    const ei = r.ei ?? r.pop_name?.[0]
    if (ei !== 'e' && ei !== 'i') throw badFile(file, `node type ${r.node_type_id} of ${p.name} has no ei (e/i) column or pop_name; needed for a synapse model without receptor_type`)
    return ei
  }
  interface Pending { name: string; kind: BlockKind; target: number; source: number; e: EdgeColumns }
  const blocks = new Map<string, Pending>()
  let fallbackReceptors = 0
  for (const [file, typesFile] of loc.edges) {
    for (const e of readEdges(lib, file, typesFile)) {
      const trg = byName.get(e.trg), src = byName.get(e.src)
      if (!trg || !src) throw badFile(file, `edge population ${e.name} connects ${e.src} → ${e.trg}, but node population ${!src ? e.src : e.trg} is not in the network`)
      if (trg.virtual) throw badFile(file, `edge population ${e.name} targets the virtual population ${e.trg}`)
      const ti = areaIndex.get(trg.name)!
      const kind: BlockKind = src.virtual ? (src.name.includes('bkg') ? 'bkg' : 'lgn') : src === trg ? 'recurrent' : 'interarea'
      const si = src.virtual ? -1 : areaIndex.get(src.name)!
      const name = kind === 'interarea' ? `${trg.name}.from_${src.name}` : `${trg.name}.${kind}`
      let b = blocks.get(name)
      if (!b) blocks.set(name, (b = { name, kind, target: ti, source: si, e: new EdgeColumns() }))
      const tsel = selectedOf.get(trg.name)!
      const ssel = src.virtual ? undefined : selectedOf.get(src.name)!
      const tIdx = indexOfId(trg.nodeId), sIdx = indexOfId(src.nodeId)
      const scale = kind === 'lgn' || kind === 'bkg' ? inputScale : 1
      for (let k = 0; k < e.pre.length; k++) {
        const ts = tIdx(e.post[k]), ss = sIdx(e.pre[k])
        if (ts === undefined || ss === undefined) throw badFile(file, `edge ${k} of ${e.name}: node ${ts === undefined ? e.post[k] : e.pre[k]} is not in population ${ts === undefined ? e.trg : e.src}`)
        const i = tsel.local[ts]
        const j = ssel ? ssel.local[ss] : ss
        if (i < 0 || j < 0) continue // SPEC §7.3: only edges with both ends in the selection
        const type = e.types.get(e.typeId[k])
        if (!type) throw badFile(e.typesFile, `edge type ${e.typeId[k]} (used by ${e.name}) is not in the table`)
        const sw = e.synWeight && !Number.isNaN(e.synWeight[k]) ? e.synWeight[k] : Number(type.syn_weight)
        if (!Number.isFinite(sw)) throw badFile(e.typesFile, `edge type ${e.typeId[k]}: no syn_weight (neither in the table nor per edge in ${path.basename(file)})`)
        const nsyns = e.nsyns && !Number.isNaN(e.nsyns[k]) ? e.nsyns[k] : type.nsyns !== undefined ? Number(type.nsyns) : 1
        // SPEC §7.2 weight rules
        const wf = type.weight_function
        let w: number
        if (!wf || wf === 'NULL' || wf === 'None') w = sw * nsyns
        else if (wf === 'DirectionRule_EE' || wf === 'DirectionRule_others') {
          if (src.virtual) throw badFile(e.typesFile, `edge type ${e.typeId[k]}: ${wf} needs source positions, but ${e.src} is virtual`)
          const sigma = Number(type.weight_sigma)
          if (!(sigma > 0)) throw badFile(e.typesFile, `edge type ${e.typeId[k]}: ${wf} needs weight_sigma > 0`)
          w = directionRuleWeight(sw, nsyns, sigma, wf === 'DirectionRule_EE', trg.x[ts], trg.z[ts], trg.angle[ts], src.x[ss], src.z[ss], src.angle[ss])
          if (Number.isNaN(w)) throw badFile(trg.file, `${wf} needs x, z and tuning_angle of ${e.trg} and ${e.src} nodes`)
        } else throw badFile(e.typesFile, `edge type ${e.typeId[k]}: weight_function ${wf} is not supported (DirectionRule_EE, DirectionRule_others or none)`)
        let rec = receptorOf(type.dynamics_params)
        if (rec === null) {
          // Allen convention (SPEC §3.1): e2e 0, i2e 1, e2i 2, i2i 3
          const se = src.virtual ? 'e' : eiOf(src, ss, typesFile)
          rec = (se === 'e' ? 0 : 1) + (eiOf(trg, ts, typesFile) === 'e' ? 0 : 2)
          fallbackReceptors++
        }
        const dms = e.delay && !Number.isNaN(e.delay[k]) ? e.delay[k] : Number(type.delay)
        if ((kind === 'recurrent' || kind === 'interarea') && !Number.isFinite(dms)) throw badFile(e.typesFile, `edge type ${e.typeId[k]}: no delay`)
        b.e.push(i, j, (w / vscale[ti][i]) * scale, dms, rec, type.v1lm_edge_type_id !== undefined ? Number(type.v1lm_edge_type_id) : e.typeId[k])
      }
    }
  }
  if (fallbackReceptors > 0) warnings.push(`${fallbackReceptors} edges use synaptic models without receptor_type; receptors from source/target ei (e2e 0, i2e 1, e2i 2, i2i 3)`)

  // SPEC §6.3: a single BKG node → K edges per neuron from 100 sources, each with the full weight
  const bkgPop = virtualPops.find((p) => p.name.includes('bkg'))
  let nBkgSources = bkgPop?.nodeId.length ?? v1lm?.nBkgSources ?? 0
  if (bkgPop && nBkgSources === 1) {
    nBkgSources = BKG_SOURCES
    for (const b of blocks.values()) {
      if (b.kind !== 'bkg') continue
      const a = areas[b.target]
      const e = b.e, copy = new EdgeColumns()
      for (let k = 0; k < e.length; k++) {
        for (const s of bkgSources(seed, b.target, a.columnId[e.post[k]], BKG_CONNECTIONS, BKG_SOURCES)) copy.push(e.post[k], s, e.weight[k], e.delayMs[k], e.receptor[k], e.edgeTypeId[k])
      }
      b.e = copy
    }
  }

  // SPEC §3.3 delays
  let maxMs = 0
  for (const b of blocks.values()) if (b.kind === 'recurrent') for (let k = 0; k < b.e.length; k++) if (b.e.delayMs[k] > maxMs) maxMs = b.e.delayMs[k]
  const D = options.maxDelay ?? v1lm?.maxDelay ?? maxDelaySteps(maxMs)
  const kindOrder: BlockKind[] = ['recurrent', 'lgn', 'bkg', 'interarea']
  const out: ConnectionBlock[] = [...blocks.values()]
    .sort((a, b) => kindOrder.indexOf(a.kind) - kindOrder.indexOf(b.kind) || a.target - b.target || a.source - b.source)
    .map((b) => {
      const e = b.e.finish()
      const order = sortByPostPre(e.post, e.pre, areas[b.target].n)
      const local = b.kind === 'recurrent' || b.kind === 'interarea'
      return {
        name: b.name, kind: b.kind, target: b.target, source: b.source,
        pre: Int32Array.from(order, (k) => e.pre[k]),
        post: Int32Array.from(order, (k) => e.post[k]),
        receptor: Uint8Array.from(order, (k) => e.receptor[k]),
        delay: Uint8Array.from(order, (k) => (local ? delaySteps(e.delayMs[k], D) : 0)),
        weight: Float32Array.from(order, (k) => e.weight[k]),
        edgeTypeId: Int32Array.from(order, (k) => e.edgeTypeId[k]),
      }
    })
  return {
    areas,
    blocks: out,
    nInputs: lgnPops[0]?.nodeId.length ?? v1lm?.nInputs ?? 0,
    nBkgSources,
    maxDelay: D,
    seed,
    meta: {
      ...(v1lm?.meta ?? {}),
      source: 'sonata',
      sonata: { nodes: loc.nodes.map((p) => p[0]), edges: loc.edges.map((p) => p[0]), glifDir: loc.glifDir, options, warnings },
      importMs: Math.round(performance.now() - t0),
    },
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Export

const VIRTUAL_TYPE_ID = 100

function toBig(a: ArrayLike<number>): BigUint64Array {
  const out = new BigUint64Array(a.length)
  for (let i = 0; i < a.length; i++) out[i] = BigInt(a[i])
  return out
}

/**
 * Writes `net` as a SONATA circuit in `dir`: circuit_config.json, network/{area}_nodes.h5 + _node_types.csv
 * (x, y, z, tuning_angle; column_id and core_mask as v1lm extensions), virtual lgn/bkg nodes, one
 * network/{source}_{target}_edges.h5 + _edge_types.csv per block (per-edge syn_weight in pA = weight × (V_th − E_L);
 * one edge type per (v1lm edge type, receptor, delay)), components/cell_models (NEST glif_psc JSON) and
 * components/synaptic_models ({e2e,i2e,e2i,i2i}.json with receptor_type 1..4). LGN/BKG delays are written as 1 ms
 * (one step; v1lm applies them without delay, SPEC §3.3).
 */
export async function exportSonata(net: Network, dir: string): Promise<void> {
  const lib = await h5()
  const netDir = path.join(dir, 'network'), cellDir = path.join(dir, 'components', 'cell_models'), synDir = path.join(dir, 'components', 'synaptic_models')
  for (const d of [netDir, cellDir, synDir]) fs.mkdirSync(d, { recursive: true })
  RECEPTOR_FILES.forEach((f, r) => fs.writeFileSync(path.join(synDir, f), JSON.stringify({ receptor_type: r + 1 }) + '\n'))
  const nodesCfg: { nodes_file: string; node_types_file: string }[] = []
  const edgesCfg: { edges_file: string; edge_types_file: string }[] = []
  const writeH5 = (file: string, fill: (f: H5File) => void) => {
    const f = new lib.File(file, 'w')
    try {
      f.create_attribute('magic', 0x0a7a, null, '<I')
      f.create_attribute('version', new Uint32Array([0, 1]))
      fill(f)
    } finally {
      f.close()
    }
  }
  const writeNodePop = (name: string, n: number, typeIds: ArrayLike<number>, attrs: Record<string, Float32Array | Int32Array | Uint8Array>) => {
    writeH5(path.join(netDir, `${name}_nodes.h5`), (f) => {
      const g = f.create_group('nodes').create_group(name)
      g.create_dataset({ name: 'node_id', data: toBig(Array.from({ length: n }, (_, i) => i)) })
      g.create_dataset({ name: 'node_type_id', data: toBig(typeIds) })
      g.create_dataset({ name: 'node_group_id', data: new Uint32Array(n) })
      g.create_dataset({ name: 'node_group_index', data: toBig(Array.from({ length: n }, (_, i) => i)) })
      const g0 = g.create_group('0')
      for (const [k, v] of Object.entries(attrs)) g0.create_dataset({ name: k, data: v })
    })
    nodesCfg.push({ nodes_file: `$NETWORK_DIR/${name}_nodes.h5`, node_types_file: `$NETWORK_DIR/${name}_node_types.csv` })
  }
  const typeHeader = ['node_type_id', 'model_type', 'model_template', 'dynamics_params', 'pop_name', 'ei', 'location', 'population']
  net.areas.forEach((a) => {
    const rows = a.types.map((p, k) => {
      const file = `${a.name}_${a.nodeTypeId[k]}_glif_psc.json`
      const nest = { V_m: p.E_L, V_th: p.V_th, g: p.g, E_L: p.E_L, C_m: p.C_m, t_ref: p.t_ref, V_reset: p.V_reset, asc_init: [0, 0], asc_decay: p.k, asc_amps: p.asc_amps, tau_syn: TAU_SYN, spike_dependent_threshold: false, after_spike_currents: true, adapting_threshold: false }
      fs.writeFileSync(path.join(cellDir, file), JSON.stringify(nest, null, 1) + '\n')
      const ei = /^[ei]/.test(a.popName[k]) ? a.popName[k][0] : 'NULL'
      return [a.nodeTypeId[k], 'point_neuron', 'nest:glif_psc', file, a.popName[k], ei, a.name === 'v1' ? 'VISp' : a.name === 'lm' ? 'VISl' : a.name, a.name]
    })
    if (new Set(a.nodeTypeId).size !== a.types.length) throw new V1lmError('E_BAD_NETWORK', `${a.name}: node type ids are not unique`, `${a.name}.nodeTypeId`)
    writeTypeTable(path.join(netDir, `${a.name}_node_types.csv`), typeHeader, rows)
    writeNodePop(a.name, a.n, Float64Array.from(a.nodeTypeIndex, (k) => a.nodeTypeId[k]), { x: a.x, y: a.y, z: a.z, tuning_angle: a.tuningAngle, column_id: a.columnId, core_mask: a.coreMask })
  })
  const virtualPop = (name: string, n: number) => {
    writeTypeTable(path.join(netDir, `${name}_node_types.csv`), ['node_type_id', 'model_type', 'ei', 'pop_name'], [[VIRTUAL_TYPE_ID, 'virtual', 'e', name]])
    writeNodePop(name, n, new Float64Array(n).fill(VIRTUAL_TYPE_ID), {})
  }
  if (net.blocks.some((b) => b.kind === 'lgn')) virtualPop('lgn', net.nInputs)
  if (net.blocks.some((b) => b.kind === 'bkg')) virtualPop('bkg', net.nBkgSources)
  let nextType = 100
  for (const b of net.blocks) {
    const trg = net.areas[b.target]
    const srcName = b.kind === 'lgn' ? 'lgn' : b.kind === 'bkg' ? 'bkg' : net.areas[b.source].name
    const base = `${srcName}_${trg.name}`
    const local = b.kind === 'recurrent' || b.kind === 'interarea'
    const E = b.pre.length
    const typeOf = new Map<string, number>()
    const rows: (string | number)[][] = []
    const typeId = new Uint32Array(E)
    const synWeight = new Float64Array(E)
    for (let k = 0; k < E; k++) {
      const key = `${b.edgeTypeId[k]}:${b.receptor[k]}:${b.delay[k]}`
      let id = typeOf.get(key)
      if (id === undefined) {
        typeOf.set(key, (id = nextType++))
        rows.push([id, '*', '*', 'static_synapse', RECEPTOR_FILES[b.receptor[k]], local ? b.delay[k] : 1, b.edgeTypeId[k]])
      }
      typeId[k] = id
      const p = trg.types[trg.nodeTypeIndex[b.post[k]]]
      synWeight[k] = b.weight[k] * (p.V_th - p.E_L)
    }
    writeTypeTable(path.join(netDir, `${base}_edge_types.csv`), ['edge_type_id', 'target_query', 'source_query', 'model_template', 'dynamics_params', 'delay', 'v1lm_edge_type_id'], rows)
    writeH5(path.join(netDir, `${base}_edges.h5`), (f) => {
      const g = f.create_group('edges').create_group(`${srcName}_to_${trg.name}`)
      g.create_dataset({ name: 'source_node_id', data: toBig(b.pre) }).create_attribute('node_population', srcName)
      g.create_dataset({ name: 'target_node_id', data: toBig(b.post) }).create_attribute('node_population', trg.name)
      g.create_dataset({ name: 'edge_type_id', data: typeId })
      g.create_dataset({ name: 'edge_group_id', data: new Uint32Array(E) })
      g.create_dataset({ name: 'edge_group_index', data: toBig(Array.from({ length: E }, (_, i) => i)) })
      g.create_group('0').create_dataset({ name: 'syn_weight', data: synWeight })
    })
    edgesCfg.push({ edges_file: `$NETWORK_DIR/${base}_edges.h5`, edge_types_file: `$NETWORK_DIR/${base}_edge_types.csv` })
  }
  const config = {
    manifest: { $BASE_DIR: '.', $NETWORK_DIR: '$BASE_DIR/network', $COMPONENTS_DIR: '$BASE_DIR/components' },
    components: { point_neuron_models_dir: '$COMPONENTS_DIR/cell_models', synaptic_models_dir: '$COMPONENTS_DIR/synaptic_models' },
    networks: { nodes: nodesCfg, edges: edgesCfg },
    v1lm: {
      format: FORMAT, version: FORMAT_VERSION, seed: net.seed, maxDelay: net.maxDelay, nInputs: net.nInputs, nBkgSources: net.nBkgSources,
      readoutNeuronIds: Object.fromEntries(net.areas.map((a) => [a.name, a.readoutNeuronIds.map((r) => Array.from(r))])),
      meta: net.meta,
    },
  }
  fs.writeFileSync(path.join(dir, 'circuit_config.json'), JSON.stringify(config, null, 1) + '\n')
}
