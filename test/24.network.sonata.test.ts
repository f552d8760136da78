import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import t from 'tap'
import h5wasm from 'h5wasm/node'
import { buildNetwork } from '../lib/network/build.js'
import { validateNetwork } from '../lib/network/format.js'
import { exportSonata, importSonata, readTypeTable } from '../lib/network/sonata.js'
import { buildNetworkCommand } from '../lib/cli/build-network.js'
import { V1lmError } from '../lib/errors.js'
import type { Network } from '../lib/network/types.js'

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'v1lm-sonata-'))
t.teardown(() => fs.rmSync(tmp, { recursive: true, force: true }))

const AREA_ARRAYS = ['nodeTypeIndex', 'x', 'y', 'z', 'tuningAngle', 'nodeTypeId', 'coreMask', 'columnId'] as const
const BLOCK_ARRAYS = ['pre', 'post', 'receptor', 'delay', 'weight', 'edgeTypeId'] as const

function sameNetwork(t: any, a: Network, b: Network): void {
  t.same([b.nInputs, b.nBkgSources, b.maxDelay, b.seed], [a.nInputs, a.nBkgSources, a.maxDelay, a.seed], 'scalars')
  t.equal(b.areas.length, a.areas.length)
  a.areas.forEach((x, i) => {
    const y = b.areas[i]
    t.same([y.name, y.n, y.popName, y.types], [x.name, x.n, x.popName, x.types], `${x.name}: name, n, pop names, type parameters`)
    for (const k of AREA_ARRAYS) t.ok(Buffer.from(y[k].buffer, y[k].byteOffset, y[k].byteLength).equals(Buffer.from(x[k].buffer, x[k].byteOffset, x[k].byteLength)) && y[k].constructor === x[k].constructor, `${x.name}.${k} identical`)
    t.same(Object.keys(y.laminarIndices), Object.keys(x.laminarIndices))
    for (const key of Object.keys(x.laminarIndices)) if (!Buffer.from(y.laminarIndices[key].buffer).equals(Buffer.from(x.laminarIndices[key].buffer))) t.fail(`${x.name} laminar ${key}`)
    t.same(y.readoutNeuronIds.map((r) => Array.from(r)), x.readoutNeuronIds.map((r) => Array.from(r)), `${x.name} readouts`)
  })
  t.same(b.blocks.map((x) => [x.name, x.kind, x.target, x.source]), a.blocks.map((x) => [x.name, x.kind, x.target, x.source]), 'blocks')
  a.blocks.forEach((x, i) => {
    const y = b.blocks[i]
    for (const k of BLOCK_ARRAYS) {
      const same = y[k].length === x[k].length && y[k].constructor === x[k].constructor && y[k].every((v, j) => v === x[k][j])
      t.ok(same, `${x.name}.${k} identical (${x[k].length})`)
    }
  })
}

t.test('export → import round trip is exact', async (t) => {
  const net = buildNetwork({ v1Neurons: 1500, seed: 7, nOutput: 2, neuronsPerOutput: 4 })
  t.same(net.blocks.map((b) => b.name), ['v1.recurrent', 'lm.recurrent', 'v1.lgn', 'v1.bkg', 'lm.bkg', 'v1.from_lm', 'lm.from_v1'])
  const dir = path.join(tmp, 'rt')
  await exportSonata(net, dir)
  const files = fs.readdirSync(path.join(dir, 'network')).sort()
  t.same(files.filter((f) => f.endsWith('_edges.h5')), ['bkg_lm_edges.h5', 'bkg_v1_edges.h5', 'lgn_v1_edges.h5', 'lm_lm_edges.h5', 'lm_v1_edges.h5', 'v1_lm_edges.h5', 'v1_v1_edges.h5'])
  const types = readTypeTable(path.join(dir, 'network', 'v1_node_types.csv'))
  t.equal(types.rows.length, net.areas[0].types.length)
  t.equal(types.rows[0].model_template, 'nest:glif_psc')
  const cfg = JSON.parse(fs.readFileSync(path.join(dir, 'circuit_config.json'), 'utf8'))
  t.equal(cfg.networks.nodes.length, 4)
  t.equal(cfg.networks.edges.length, 7)
  // NEST-unit cell model = the type's parameters; syn_weight in pA
  const p = net.areas[0].types[0]
  const nest = JSON.parse(fs.readFileSync(path.join(dir, 'components', 'cell_models', types.rows[0].dynamics_params), 'utf8'))
  t.same([nest.V_th, nest.E_L, nest.g, nest.C_m, nest.t_ref, nest.asc_decay, nest.asc_amps], [p.V_th, p.E_L, p.g, p.C_m, p.t_ref, p.k, p.asc_amps])
  const back = await importSonata(dir)
  validateNetwork(back)
  sameNetwork(t, net, back)
  t.equal(back.meta.source, 'sonata')
  // same network through explicit file lists
  const nd = (n: string) => path.join(dir, 'network', n)
  const viaLists = await importSonata({
    nodes: [nd('v1_nodes.h5'), nd('lgn_nodes.h5')], nodeTypes: [nd('v1_node_types.csv'), nd('lgn_node_types.csv')],
    edges: nd('v1_v1_edges.h5'), edgeTypes: nd('v1_v1_edge_types.csv'),
    glifDir: path.join(dir, 'components', 'cell_models'), synapseDir: path.join(dir, 'components', 'synaptic_models'),
  }, { maxDelay: net.maxDelay })
  t.same(viaLists.areas.map((a) => a.name), ['v1'])
  t.same(Array.from(viaLists.blocks[0].weight), Array.from(net.blocks[0].weight))
  t.equal(viaLists.nInputs, net.nInputs)
  // subset selection (SPEC §7.3) on import = the builder's selection of the same column
  const sub = await importSonata(dir, { v1Neurons: 600, lmNeurons: 80, nOutput: 0 })
  const small = buildNetwork({ v1Neurons: 600, lmNeurons: 80, realisticNeuronsRatio: false, seed: 7, nOutput: 0 })
  t.same(Array.from(sub.areas[0].columnId), Array.from(small.areas[0].columnId))
  t.same(Array.from(sub.areas[1].columnId), Array.from(small.areas[1].columnId))
  const r0 = sub.blocks[0], s0 = small.blocks[0]
  t.equal(r0.name, 'v1.recurrent')
  t.same([Array.from(r0.pre), Array.from(r0.post), Array.from(r0.weight)], [Array.from(s0.pre), Array.from(s0.post), Array.from(s0.weight)], 'recurrent edges of the subset = the restriction')
})

/** A SONATA network written by hand: 3 V1 nodes (raw Allen and NEST-unit configs), 2 LGN, 1 BKG node. */
async function writeHandNetwork(dir: string): Promise<void> {
  await h5wasm.ready
  const net = path.join(dir, 'network'), comp = path.join(dir, 'components')
  for (const d of [net, path.join(comp, 'cells'), path.join(comp, 'syn')]) fs.mkdirSync(d, { recursive: true })
  const h5 = (file: string, fill: (f: InstanceType<typeof h5wasm.File>) => void) => { const f = new h5wasm.File(path.join(net, file), 'w'); fill(f); f.close() }
  const big = (a: number[]) => BigUint64Array.from(a.map(BigInt))
  h5('v1_nodes.h5', (f) => {
    const g = f.create_group('nodes').create_group('v1')
    g.create_dataset({ name: 'node_id', data: big([2, 0, 1]) }) // unsorted on purpose
    g.create_dataset({ name: 'node_type_id', data: big([11, 10, 10]) })
    g.create_dataset({ name: 'node_group_id', data: new Uint32Array([0, 0, 0]) })
    g.create_dataset({ name: 'node_group_index', data: big([2, 0, 1]) })
    const g0 = g.create_group('0')
    g0.create_dataset({ name: 'x', data: new Float64Array([0, 100, 10]) })
    g0.create_dataset({ name: 'y', data: new Float64Array([-200, -200, -300]) })
    g0.create_dataset({ name: 'z', data: new Float64Array([0, 0, 20]) })
    g0.create_dataset({ name: 'tuning_angle', data: new Float64Array([0, 90, 180]) })
  })
  const virt = (name: string, n: number) => h5(`${name}_nodes.h5`, (f) => {
    const g = f.create_group('nodes').create_group(name)
    g.create_dataset({ name: 'node_id', data: big(Array.from({ length: n }, (_, i) => i)) })
    g.create_dataset({ name: 'node_type_id', data: big(new Array(n).fill(1)) })
  })
  virt('lgn', 2)
  virt('bkg', 1)
  fs.writeFileSync(path.join(net, 'v1_node_types.csv'), 'node_type_id model_type model_template dynamics_params pop_name ei location\n10 point_neuron nest:glif_psc ten.json e4Rorb e VISp\n11 point_neuron nest:glif_psc NULL i4Pvalb i VISp\n')
  for (const v of ['lgn', 'bkg']) fs.writeFileSync(path.join(net, `${v}_node_types.csv`), 'node_type_id model_type ei\n1 virtual e\n')
  // type 10: NEST units, V_th − E_L = 20 mV; type 11: raw Allen config (SPEC §7.4), V_th − E_L = 25 mV
  fs.writeFileSync(path.join(comp, 'cells', 'ten.json'), JSON.stringify({ V_th: -50, E_L: -70, g: 5, C_m: 100, t_ref: 2, V_reset: -70, asc_decay: [0.1, 0.3], asc_amps: [-10, -20] }))
  fs.writeFileSync(path.join(comp, 'cells', '11_glif_lif_asc_config.json'), JSON.stringify({
    El: 0, El_reference: -0.075, th_inf: 0.025, R_input: 2e8, C: 5e-11, spike_cut_length: 20, dt: 5e-5,
    asc_amp_array: [-1e-11, 2e-11], asc_tau_array: [0.01, 0.002], coeffs: { th_inf: 1, G: 1, C: 1, asc_amp_array: [1, 1] },
  }))
  fs.writeFileSync(path.join(comp, 'syn', 'e2i.json'), '{"receptor_type": 3}')
  fs.writeFileSync(path.join(comp, 'syn', 'i2e.json'), '{"receptor_type": 2}')
  fs.writeFileSync(path.join(comp, 'syn', 'plain.json'), '{}')
  const edges = (file: string, pop: string, src: string, pre: number[], post: number[], type: number[], nsyns?: number[]) => h5(file, (f) => {
    const g = f.create_group('edges').create_group(pop)
    g.create_dataset({ name: 'source_node_id', data: big(pre) }).create_attribute('node_population', src)
    g.create_dataset({ name: 'target_node_id', data: big(post) }).create_attribute('node_population', 'v1')
    g.create_dataset({ name: 'edge_type_id', data: new Uint32Array(type) })
    if (nsyns) {
      g.create_dataset({ name: 'edge_group_id', data: new Uint32Array(pre.length) })
      g.create_dataset({ name: 'edge_group_index', data: new Uint32Array(pre.map((_, i) => i)) })
      g.create_group('0').create_dataset({ name: 'nsyns', data: new Uint32Array(nsyns) })
    }
  })
  // recurrent, deliberately unsorted: 0→1 (e→e, DirectionRule_EE), 1→2 (e→i, others), 2→0 (i→e), 2→1 (i→e, no receptor_type)
  edges('v1_v1_edges.h5', 'v1_to_v1', 'v1', [2, 0, 1, 2], [1, 1, 2, 0], [3, 1, 2, 4], [2, 3, 1, 4])
  fs.writeFileSync(path.join(net, 'v1_v1_edge_types.csv'), [
    'edge_type_id target_query source_query syn_weight weight_function weight_sigma delay dynamics_params model_template',
    "1 node_type_id=='10' pop_name=='e4Rorb' 4.0 DirectionRule_EE 30.0 1.6 e2e_missing_ok.json static_synapse",
    "2 node_type_id=='11' pop_name=='e4Rorb' 5.0 DirectionRule_others 50.0 2.5 e2i.json static_synapse",
    "3 node_type_id=='10' pop_name=='i4Pvalb' -3.0 NULL NULL 0.4 plain.json static_synapse",
    "4 node_type_id=='10' pop_name=='i4Pvalb' -2.0 NULL NULL 3.5 i2e.json static_synapse",
  ].join('\n') + '\n')
  edges('lgn_v1_edges.h5', 'lgn_to_v1', 'lgn', [1, 0], [0, 0], [7, 7], undefined)
  fs.writeFileSync(path.join(net, 'lgn_v1_edge_types.csv'), 'edge_type_id syn_weight delay dynamics_params\n7 6.0 1.7 plain.json\n')
  edges('bkg_v1_edges.h5', 'bkg_to_v1', 'bkg', [0, 0, 0], [0, 1, 2], [8, 8, 9], [100, 100, 100])
  fs.writeFileSync(path.join(net, 'bkg_v1_edge_types.csv'), 'edge_type_id syn_weight delay dynamics_params\n8 0.5 1.0 plain.json\n9 0.25 1.0 e2i.json\n')
}

t.test('import of a hand-written SONATA network: weights, receptors, delays, BKG', async (t) => {
  const dir = path.join(tmp, 'hand')
  await writeHandNetwork(dir)
  const nd = (n: string) => path.join(dir, 'network', n)
  const files = {
    nodes: [nd('v1_nodes.h5'), nd('lgn_nodes.h5'), nd('bkg_nodes.h5')], nodeTypes: [nd('v1_node_types.csv'), nd('lgn_node_types.csv'), nd('bkg_node_types.csv')],
    edges: [nd('v1_v1_edges.h5'), nd('lgn_v1_edges.h5'), nd('bkg_v1_edges.h5')], edgeTypes: [nd('v1_v1_edge_types.csv'), nd('lgn_v1_edge_types.csv'), nd('bkg_v1_edge_types.csv')],
    glifDir: path.join(dir, 'components', 'cells'), synapseDir: path.join(dir, 'components', 'syn'),
  }
  // edge type 1's synaptic model file does not exist yet → an error naming it
  const err = await importSonata(files).catch((e: unknown) => e)
  t.ok(err instanceof V1lmError && err.code === 'E_BAD_FILE' && /e2e_missing_ok/.test(err.message), 'missing synaptic model named')
  fs.writeFileSync(path.join(dir, 'components', 'syn', 'e2e_missing_ok.json'), '{"receptor_type": 1}')
  const net = await importSonata(files, { seed: 5 })
  validateNetwork(net)
  const v1 = net.areas[0]
  // sorted by node id: node 0 (type 10, x 0, z 0, 0°), node 1 (type 10, x 100, z 0, 90°), node 2 (type 11, x 10, z 20, 180°)
  t.equal(v1.n, 3)
  t.same(Array.from(v1.columnId), [0, 1, 2])
  t.same(Array.from(v1.nodeTypeId), [10, 11])
  t.same(Array.from(v1.nodeTypeIndex), [0, 0, 1])
  t.same(Array.from(v1.x), [0, 100, 10])
  t.same(Array.from(v1.tuningAngle), [0, 90, 180])
  t.same(v1.popName, ['e4Rorb', 'i4Pvalb'])
  t.same(Array.from(v1.laminarIndices.L4_e), [0, 1])
  t.same(Array.from(v1.laminarIndices.L4_i_Pvalb), [2])
  t.same(Array.from(v1.coreMask), [1, 1, 1])
  // SPEC §7.4 conversion of the raw config: E_L = −75, V_th = 25 − 75 = −50 mV, g = 1/2e8 S = 5 nS, C = 50 pF, t_ref = 1 ms
  const raw = v1.types[1]
  t.ok(Math.abs(raw.E_L + 75) < 1e-9 && Math.abs(raw.V_th + 50) < 1e-9 && Math.abs(raw.g - 5) < 1e-9 && Math.abs(raw.C_m - 50) < 1e-9 && Math.abs(raw.t_ref - 1) < 1e-12)
  t.ok(Math.abs(raw.k[0] - 0.1) < 1e-12 && Math.abs(raw.k[1] - 0.5) < 1e-12 && Math.abs(raw.asc_amps[0] + 10) < 1e-9 && Math.abs(raw.asc_amps[1] - 20) < 1e-9)
  t.same(v1.types[0], { V_th: -50, E_L: -70, g: 5, C_m: 100, V_reset: -70, t_ref: 2, k: [0.1, 0.3], asc_amps: [-10, -20] })
  t.equal(net.maxDelay, 4, 'D = round(min(3.5, 5)) = 4 (half to even)')
  const rec = net.blocks.find((b) => b.name === 'v1.recurrent')!
  // file order 2→1 (type 3), 0→1 (1), 1→2 (2), 2→0 (4); sorted by (post, pre): 2→0, 0→1, 2→1, 1→2
  t.same(Array.from(rec.post), [0, 1, 1, 2])
  t.same(Array.from(rec.pre), [2, 0, 2, 1])
  // hand-computed weights (SPEC §7.2) over V_th − E_L of the target (type 10: 20 mV, type 11: 25 mV)
  // 0→1 DirectionRule_EE, nsyns 3: Δ = 90° → e^−9; Δx = 0.07·100 = 7, Δz = 0, θ_trg = 90° → xz = 7·cos 90° ≈ 0;
  //   θs = ||180 − 90| − 90| − 90 = −90 → 5.5/4 − 11/1680·90
  const ee = (4 * 3 * Math.exp(-9) * Math.exp(-((7 * Math.cos(Math.PI / 2)) ** 2) / 2) * (5.5 / 4 - (11 / 1680) * 90)) / 20
  // 1→2 DirectionRule_others, nsyns 1: Δ = 90° → 5·exp(−(90/50)²) / 25
  const expected = [(-2 * 4) / 20, ee, (-3 * 2) / 20, (5 * Math.exp(-((90 / 50) ** 2))) / 25]
  expected.forEach((w, k) => t.ok(Math.abs(rec.weight[k] - w) <= 1e-6 * Math.abs(w), `weight ${k}: ${rec.weight[k]} vs ${w}`))
  t.same(Array.from(rec.receptor), [1, 0, 1, 2], 'receptor_type − 1; i→e = 1 for the model without receptor_type')
  t.same(Array.from(rec.delay), [4, 2, 1, 2], 'delays 3.5 → 4, 1.6 → 2, 0.4 → 1 (clip), 2.5 → 2 (half to even)')
  t.same(Array.from(rec.edgeTypeId), [4, 1, 3, 2])
  const lgn = net.blocks.find((b) => b.name === 'v1.lgn')!
  t.equal(net.nInputs, 2)
  t.same([Array.from(lgn.post), Array.from(lgn.pre)], [[0, 0], [0, 1]])
  t.same(Array.from(lgn.weight), [6 / 20, 6 / 20].map(Math.fround), 'no nsyns → syn_weight')
  t.same(Array.from(lgn.receptor), [0, 0])
  t.same(Array.from(lgn.delay), [0, 0])
  // SPEC §6.3: the single BKG node is replicated 4× per neuron over 100 sources with the full weight
  const bkg = net.blocks.find((b) => b.name === 'v1.bkg')!
  t.equal(net.nBkgSources, 100)
  t.same(Array.from(bkg.post), [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2])
  t.ok(bkg.pre.every((p) => p >= 0 && p < 100) && new Set(bkg.pre).size > 4)
  t.same(Array.from(bkg.weight), [2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 1, 1, 1, 1], '0.5·100/20 and 0.25·100/25')
  t.same(Array.from(bkg.receptor), [0, 0, 0, 0, 0, 0, 0, 0, 2, 2, 2, 2])
  t.match(net.meta.sonata, { warnings: [/^5 edges use synaptic models without receptor_type/] })
  t.same(net.blocks.map((b) => b.name), ['v1.recurrent', 'v1.lgn', 'v1.bkg'])
  // selection of the 2 nodes nearest the axis (node 0 r = 0, node 2 r = 22.4) and input_weight_scale
  const sel = await importSonata(files, { v1Neurons: 2, inputWeightScale: 2 })
  t.same(Array.from(sel.areas[0].columnId), [0, 2])
  const sr = sel.blocks.find((b) => b.name === 'v1.recurrent')!
  t.same([Array.from(sr.post), Array.from(sr.pre)], [[0], [1]], 'only 2→0 has both ends selected')
  t.equal(sel.blocks.find((b) => b.name === 'v1.lgn')!.pre.length, 2)
  t.same(Array.from(sel.blocks.find((b) => b.name === 'v1.bkg')!.weight.subarray(0, 4)), [5, 5, 5, 5])
  // errors name the file and the fix
  await t.rejects(importSonata({ ...files, glifDir: path.join(dir, 'nowhere') }), { code: 'E_BAD_FILE' })
  await t.rejects(importSonata(path.join(dir, 'missing')), { code: 'E_BAD_FILE' })
  await t.rejects(importSonata(dir), /no cell model/, 'directory form without components/cell_models')
  await t.rejects(importSonata({ ...files, edges: files.edges.slice(0, 1) }), { code: 'E_BAD_ARGUMENT' })
  fs.writeFileSync(path.join(dir, 'bad_types.csv'), 'edge_type_id syn_weight weight_function delay dynamics_params\n1 4.0 Gaussian 1.0 plain.json\n2 1 NULL 1 plain.json\n3 1 NULL 1 plain.json\n4 1 NULL 1 plain.json\n')
  await t.rejects(importSonata({ ...files, edgeTypes: [path.join(dir, 'bad_types.csv'), ...files.edgeTypes.slice(1)] }), /weight_function Gaussian is not supported/)
  fs.writeFileSync(path.join(dir, 'ragged.csv'), 'edge_type_id syn_weight\n1 2 3\n')
  t.throws(() => readTypeTable(path.join(dir, 'ragged.csv')), /row 2 has 3 values for 2 columns/)
})

const FIXTURE = new URL('../../shared/data/allen-bmtk/examples/point_450glifs/', import.meta.url)
t.test('point_450glifs (bmtk example) imports with the counts of its files', { skip: !fs.existsSync(FIXTURE) && 'shared/data absent' }, async (t) => {
  const dir = FIXTURE.pathname
  const net = await importSonata(dir)
  validateNetwork(net)
  const v1 = net.areas[0]
  t.equal(net.areas.length, 1)
  t.equal(v1.n, 450)
  t.equal(v1.types.length, 7)
  const nt = readTypeTable(path.join(dir, 'network', 'v1_node_types.csv'))
  t.same(Array.from(v1.nodeTypeId), nt.rows.map((r) => Number(r.node_type_id)))
  t.same(v1.popName, nt.rows.map((r) => r.model_name), 'no pop_name column: model_name')
  t.equal(net.nInputs, 100)
  const rec = net.blocks.find((b) => b.name === 'v1.recurrent')!, lgn = net.blocks.find((b) => b.name === 'v1.lgn')!
  t.equal(rec.pre.length, 28555)
  t.equal(lgn.pre.length, 36035)
  t.equal(net.blocks.length, 2)
  t.equal(net.maxDelay, 2)
  // node 0 (type 100, NEST config 593618144): V_th − E_L = −46.4037 + 69.4756; its first edge in file order is type 100, nsyns 4, 2.5 pA
  const p = v1.types[0]
  t.ok(Math.abs(p.V_th - p.E_L - 23.07188) < 1e-4)
  let k0 = 0
  while (!(rec.post[k0] === 0 && rec.pre[k0] === 232)) k0++
  t.ok(Math.abs(rec.weight[k0] - (2.5 * 4) / (p.V_th - p.E_L)) < 1e-6)
  t.equal(rec.receptor[k0], 0, 'e2e.json: receptor_type 1')
  // LIF nodes (iaf_psc_alpha, IntFire1_exc_point.json: tau_m 24, C_m 120) → g = C_m/tau_m, no ASC
  const lif = v1.types[5]
  t.ok(Math.abs(lif.g - 120 / 24) < 1e-12 && lif.asc_amps[0] === 0 && lif.V_reset === -53)
  t.ok(rec.receptor.every((r) => r <= 3))
  t.ok(Number.isNaN(v1.tuningAngle[0]), 'no tuning_angle in the file → NaN')
})

t.test('CLI: --export_sonata and --from_sonata', async (t) => {
  const out = path.join(tmp, 'cli-net'), son = path.join(tmp, 'cli-sonata'), again = path.join(tmp, 'cli-again')
  const lines: string[] = []
  t.equal(await buildNetworkCommand(['--v1_neurons', '400', '--nolgn', '--n_output', '0', '--output', out, '--export_sonata', son], (l) => lines.push(l)), 0)
  t.ok(fs.existsSync(path.join(son, 'circuit_config.json')))
  t.match(lines.join('\n'), /SONATA circuit written/)
  lines.length = 0
  t.equal(await buildNetworkCommand(['--from_sonata', son, '--output', again], (l) => lines.push(l)), 0)
  t.match(lines.join('\n'), /v1: 400 neurons[\s\S]*SONATA import/)
  t.ok(fs.existsSync(path.join(again, 'network.json')))
})
