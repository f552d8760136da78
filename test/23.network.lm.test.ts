import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import t from 'tap'
import { buildNetwork } from '../lib/network/build.js'
import { loadNetwork, validateNetwork } from '../lib/network/format.js'
import { loadInterareaTable } from '../lib/network/interarea.js'
import { buildNetworkCommand, parseBuildNetworkArgs } from '../lib/cli/build-network.js'
import { V1lmError } from '../lib/errors.js'

const base = { v1Neurons: 3000, lgnUnits: false as const, nOutput: 2, neuronsPerOutput: 8, seed: 21 }
const net = buildNetwork(base)
const [v1, lm] = net.areas
const block = (name: string) => net.blocks.find((b) => b.name === name)!

t.test('LM = the reference copy of V1 central neurons, with inter-area blocks', async (t) => {
  validateNetwork(net)
  t.equal(lm.n, Math.floor(3000 / 7.010391285652859))
  t.same(net.blocks.map((b) => b.name), ['v1.recurrent', 'lm.recurrent', 'v1.bkg', 'lm.bkg', 'v1.from_lm', 'lm.from_v1'])
  // LM recurrent = V1's edges among LM's (column) neurons
  const v1Edges = new Set<string>()
  const r1 = block('v1.recurrent')
  for (let k = 0; k < r1.pre.length; k++) v1Edges.add(`${v1.columnId[r1.post[k]]}:${v1.columnId[r1.pre[k]]}`)
  const rl = block('lm.recurrent')
  t.ok(rl.pre.length > 0)
  let same = 0
  for (let k = 0; k < rl.pre.length; k++) if (v1Edges.has(`${lm.columnId[rl.post[k]]}:${lm.columnId[rl.pre[k]]}`)) same++
  t.equal(same, rl.pre.length)
  const ff = block('lm.from_v1'), fb = block('v1.from_lm')
  t.ok(ff.pre.length / lm.n > 20, `V1→LM ${(ff.pre.length / lm.n).toFixed(1)} per LM neuron`)
  t.ok(fb.pre.length / v1.n > 2, `LM→V1 ${(fb.pre.length / v1.n).toFixed(1)} per V1 neuron`)
  t.ok(ff.pre.every((p) => p < v1.n) && fb.pre.every((p) => p < lm.n))
  // only excitatory sources in the default tables → positive... unless the V1-V1 edge type is inhibitory (never for e sources)
  t.ok(ff.weight.every((w) => w >= 0) && fb.weight.every((w) => w >= 0))
  t.ok(lm.coreMask.every((m) => m === 1))
  t.equal(block('lm.bkg').pre.length, 4 * lm.n)
})

t.test('inter-area weight options (SPEC §7.7)', async (t) => {
  const zero = buildNetwork({ ...base, interareaWeightDistribution: 'zero_weights' })
  t.ok(zero.blocks.find((b) => b.name === 'lm.from_v1')!.weight.every((w) => w === 0))
  const disc = buildNetwork({ ...base, interareaWeightDistribution: 'disconnected' })
  const d = disc.blocks.find((b) => b.name === 'v1.from_lm')!
  t.ok(d.weight.every((w) => w === 0) && d.delay.every((x) => x === 1) && d.receptor.every((r) => r === 1))
  const e4 = buildNetwork({ ...base, E4WeightFactor: 4, disconnectV1LmL6ExcitatoryProjections: true })
  const a = block('lm.from_v1'), b = e4.blocks.find((x) => x.name === 'lm.from_v1')!
  const l4 = new Set(Array.from(lm.laminarIndices.L4_e)), l6 = new Set(Array.from(lm.laminarIndices.L6_e))
  let n4 = 0
  for (let k = 0; k < a.weight.length; k++) {
    if (l4.has(a.post[k]) && a.weight[k] > 0) { n4++; if (Math.abs(b.weight[k] - 4 * a.weight[k]) > 1e-6 * a.weight[k]) t.fail('E4 factor') }
    else if (l6.has(a.post[k])) { if (b.weight[k] !== 0) t.fail('L6 disconnect') }
    else if (b.weight[k] !== a.weight[k]) t.fail('other weights unchanged')
  }
  t.ok(n4 > 0)
  const rnd = buildNetwork({ ...base, interareaWeightDistribution: 'random_weights', randomWeights: true })
  const rr = rnd.blocks.find((x) => x.name === 'lm.from_v1')!
  const sum = (w: Float32Array) => w.reduce((s, v) => s + v, 0)
  t.ok(Math.abs(sum(rr.weight) - 4 * sum(a.weight)) < 1e-3 * sum(rr.weight), 'random_weights: unscaled (×4 of the 0.25 rule) and shuffled')
  const r0 = rnd.blocks[0]
  t.ok(Math.abs(sum(r0.weight) - sum(block('v1.recurrent').weight)) < 1e-3 * Math.abs(sum(r0.weight)), 'random_weights keeps the recurrent weight multiset')
  t.throws(() => buildNetwork({ ...base, interareaWeightDistribution: 'levy_stable' as 'zero_weights' }), V1lmError)
})

t.test('user inter-area tables in the reference format', async (t) => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'v1lm-ia-'))
  t.teardown(() => fs.rmSync(tmp, { recursive: true, force: true }))
  const only = { v1_L4_e: { lm_L4_e: { amplitude: 0.3, sigma: 60 } } }
  const f = path.join(tmp, 'v1_to_lm.json')
  fs.writeFileSync(f, JSON.stringify(only))
  const net2 = buildNetwork({ ...base, interareaTables: { v1ToLm: loadInterareaTable('v1_to_lm', f) } })
  const ff = net2.blocks.find((b) => b.name === 'lm.from_v1')!
  const a2 = net2.areas
  t.ok(ff.pre.length > 0)
  t.ok(Array.from(ff.pre).every((p) => a2[0].popName[a2[0].nodeTypeIndex[p]].startsWith('e4')))
  t.ok(Array.from(ff.post).every((p) => a2[1].popName[a2[1].nodeTypeIndex[p]].startsWith('e4')))
  fs.writeFileSync(f, JSON.stringify({ v1_L4_e: { lm_L4_e: { amplitude: -1, sigma: 60 } } }))
  t.throws(() => loadInterareaTable('v1_to_lm', f), { code: 'E_BAD_FILE' })
  t.throws(() => buildNetwork({ ...base, interareaTables: { v1ToLm: { lm_L4_e: { v1_L4_e: { amplitude: 0.1, sigma: 50 } } } } }), { code: 'E_BAD_FILE' })
  t.throws(() => loadInterareaTable('v1_to_lm', path.join(tmp, 'none.json')), { code: 'E_BAD_FILE' })
})

t.test('v1lm build-network', async (t) => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'v1lm-cli-'))
  t.teardown(() => fs.rmSync(tmp, { recursive: true, force: true }))
  const lines: string[] = []
  const out = path.join(tmp, 'net')
  const rc = await buildNetworkCommand(['--v1_neurons', '2000', '--norealistic_neurons_ratio', '--lm-neurons=300', '--neurons_per_output', '0', '--nolgn', '--seed', '5', '--output', out], (l) => lines.push(l))
  t.equal(rc, 0)
  t.match(lines.join('\n'), /v1: 2000 neurons[\s\S]*e23Cux2[\s\S]*lm: 300 neurons[\s\S]*v1\.recurrent\s+\d+/)
  const back = loadNetwork(out)
  t.equal(back.areas[1].n, 300)
  t.equal(back.seed, 5)
  const help: string[] = []
  t.equal(await buildNetworkCommand(['--help'], (l) => help.push(l)), 0)
  t.match(help[0], /--v1_neurons/)
  t.same(parseBuildNetworkArgs(['--core_only', '--noconnected-selection', '--seed=4']), { core_only: true, connected_selection: false, seed: '4' })
  t.throws(() => parseBuildNetworkArgs(['--bogus']), { code: 'E_BAD_ARGUMENT' })
  t.throws(() => parseBuildNetworkArgs(['--seed']), { code: 'E_BAD_ARGUMENT' })
  t.throws(() => parseBuildNetworkArgs(['stray']), { code: 'E_BAD_ARGUMENT' })
  await t.rejects(buildNetworkCommand(['--v1_neurons', 'abc']), { code: 'E_BAD_ARGUMENT' })
})
