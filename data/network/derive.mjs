// Derives the compact network tables of data/network/ from ../shared/data (see SOURCES.md).
// Run: node data/network/derive.mjs [path/to/shared/data] (after `npm run build:ts`). Output is deterministic JSON.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { cellParams } from '../../dist/network/sonata.js'

const here = path.dirname(fileURLToPath(import.meta.url))
const shared = process.argv[2] ?? path.resolve(here, '../../../shared/data')
const rd = (p) => fs.readFileSync(path.join(shared, p), 'utf8')
const rows = (text) => {
  const lines = text.trim().split('\n')
  const head = lines[0].trim().split(/\s+/)
  return lines.slice(1).map((l) => Object.fromEntries(l.trim().split(/\s+/).map((v, i) => [head[i], v])))
}
const write = (name, obj) => fs.writeFileSync(path.join(here, name), JSON.stringify(obj, null, 1) + '\n')

const WS = 'allen-bmtk-workshop/Ch6_l4model'
const RECEPTOR = { 'e2e.json': 0, 'i2e.json': 1, 'e2i.json': 2, 'i2i.json': 3 } // SPEC §3.1: receptor_type − 1

// ---- node types: SPEC §7.4 conversion of the raw Allen configs, cross-checked with nest_models/
const nodeTypes = rows(rd('ingiehong-v1_model/simulations/v1_point/network/v1_node_types.csv'))
const types = nodeTypes.map((r) => {
  const file = `${WS}/components/point_neuron_models/${r.node_type_id}_glif_lif_asc_config.json`
  const p = cellParams(JSON.parse(rd(file)), file) // SPEC §7.4, the one conversion (lib/network/sonata.ts)
  const nest = JSON.parse(rd(`${WS}/components/point_neuron_models/nest_models/${r.node_type_id}_glif_lif_asc_config.json`))
  const close = (a, b) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b))
  const ok = close(p.V_th, nest.V_th) && close(p.E_L, nest.E_L) && close(p.g, nest.g) && close(p.C_m, nest.C_m) &&
    close(p.t_ref, nest.t_ref) && p.k.every((v, i) => close(v, nest.asc_decay[i])) &&
    p.asc_amps.every((v, i) => close(v, nest.asc_amps[i]))
  if (!ok) throw new Error(`conversion mismatch for ${r.node_type_id}`)
  return { node_type_id: Number(r.node_type_id), pop_name: r.pop_name, ei: r.ei, layer: r.layer, params: p }
})
types.sort((a, b) => a.pop_name.localeCompare(b.pop_name) || a.node_type_id - b.node_type_id)
write('node_types.json', { source: 'see SOURCES.md', types })

// ---- populations: core counts (51,978) from the Billeh-model per-neuron table
const core = {}
// empty metric fields collapse under whitespace splitting, so pop_name is taken as the last field of a row
for (const l of rd('galvan-lm_v1_billeh_model/Billeh_column_metrics/v1_OSI_DSI_DF.csv').trim().split('\n').slice(1)) {
  const pop = l.trim().split(/\s+/).at(-1)
  core[pop] = (core[pop] ?? 0) + 1
}
const pops = [...new Set(types.map((t) => t.pop_name))].sort()
// depth ranges (µm below pia): SPEC §7.5 layer boundaries, L4 = [310, 430] of the workshop build
const DEPTH = { 1: [50, 100], 2: [100, 310], 4: [310, 430], 5: [430, 645], 6: [645, 850] }
write('populations.json', {
  column_radius_um: 845, core_radius_um: 400, n_full_column: 230924, n_core: 51978,
  populations: pops.map((name) => ({ pop_name: name, core_count: core[name], depth_range_um: DEPTH[name[1]] })),
})

// ---- connection rules (17 classes)
write('conn_rules.json', JSON.parse(rd(`${WS}/v1_conn_props.json`)))

// ---- V1-V1 edge types, columnar
const et = rows(rd('ingiehong-v1_model/simulations/v1_point/glif_props/v1_v1_edge_types.csv'))
write('edge_types.json', {
  edge_type_id: et.map((r) => Number(r.edge_type_id)),
  target_node_type_id: et.map((r) => Number(r.target_query.slice(15, 24))),
  source_pop_name: et.map((r) => r.source_query.slice(11, -1)),
  syn_weight: et.map((r) => Number(r.syn_weight)),
  weight_function: et.map((r) => r.weight_function),
  weight_sigma: et.map((r) => Number(r.weight_sigma)),
  delay_ms: et.map((r) => Number(r.delay)),
  receptor: et.map((r) => RECEPTOR[r.dynamics_params]),
})

// ---- BKG weights per population (nsyns 100 as in the workshop SONATA network, SPEC §6.3)
write('bkg.json', {
  nsyns: 100, n_sources: 100, connections_per_neuron: 4, rate_hz: 250,
  populations: Object.fromEntries(rows(rd(`${WS}/bkg_edge_models.csv`)).map((r) =>
    [r.target_label, { syn_weight: Number(r.syn_weight), delay_ms: Number(r.delay), receptor: RECEPTOR[r.dynamics_params] }])),
})

// ---- LGN -> V1 rules (17 classes) + per-synapse weights (L4 published; others: documented default)
const lgnParams = JSON.parse(rd('allen-biorealistic-v1-model/node_props/lgn_params.json'))
const l4 = JSON.parse(rd(`${WS}/lgn_v1_connections.json`))
for (const [pop, v] of Object.entries(l4)) {
  const key = pop.startsWith('e4') ? 'e4' : pop
  for (const [k, x] of Object.entries(v.connection_params)) if (lgnParams[key][k] !== x) throw new Error(`lgn rule ${pop}.${k}`)
}
const e4w = ['e4Nr5a1', 'e4Rorb', 'e4Scnn1a', 'e4other'].map((p) => l4[p].edge_types_params.syn_weight)
const eSyn = e4w.reduce((a, b) => a + b) / e4w.length
const pvSyn = l4.i4Pvalb.edge_types_params.syn_weight
// Per-synapse weight (pA) per population: published L4 values where nonzero; otherwise the mean L4 excitatory
// value (e targets and non-Pvalb interneurons) or the i4Pvalb value (Pvalb targets). The total weight of an
// edge is syn_weight * N_syn of its population, so populations differ by their published synapse counts.
// Receptor: the workshop's LGN edge types use lgn_exc.json (receptor_type 1 -> 0) for e targets and lgn_inh.json
// (receptor_type 2 -> 1, tau 8.5 ms) for i targets (Ch6_l4model/network/lgn_l4_edge_types.csv, components/synaptic_models)
const LGN_INH_RECEPTOR = JSON.parse(rd(`${WS}/components/synaptic_models/lgn_inh.json`)).receptor_type - 1
const lgnWeight = (p) => {
  const pub = l4[p]?.edge_types_params.syn_weight
  if (pub > 0) return { syn_weight: pub, origin: 'published (lgn_v1_connections.json)' }
  return p.includes('Pvalb') ? { syn_weight: pvSyn, origin: 'default: i4Pvalb per-synapse weight' }
    : { syn_weight: eSyn, origin: 'default: mean L4 excitatory per-synapse weight' }
}
write('lgn_v1_rules.json', {
  delay_ms: l4.e4Rorb.edge_types_params.delay,
  frame_deg: [240, 120],
  rules: lgnParams,
  populations: Object.fromEntries(pops.map((p) => [p, { ...lgnWeight(p), receptor: p.startsWith('e') ? 0 : LGN_INH_RECEPTOR }])),
})
console.log('tables written to', here)
