import t from 'tap'
import { buildNetwork, LAMINAR_KEYS } from '../lib/network/build.js'
import { generateColumn, selectNeurons } from '../lib/network/column.js'
import { orientationDelta, pairProbability } from '../lib/network/connect.js'
import { validateNetwork } from '../lib/network/format.js'
import { loadTables } from '../lib/network/tables.js'
import { delaySteps, directionDelta } from '../lib/network/weights.js'
import { V1lmError } from '../lib/errors.js'

const tb = loadTables()

t.test('population fractions of the 51,978-neuron core selection (published core counts, INVENTORY a3)', async (t) => {
  const col = generateColumn(tb, 3000)
  t.equal(col.n, 230924)
  const sel = selectNeurons(col, { n: 51978, connectedSelection: true, coreOnly: false, coreRadius: 400, seed: 3000 })
  const counts = new Array(tb.populations.length).fill(0)
  for (const c of sel) counts[col.popIndex[c]]++
  for (const [i, p] of tb.populations.entries()) {
    const f = counts[i] / 51978, ref = p.coreCount / 51978
    t.ok(Math.abs(f - ref) <= 0.02 * ref + 1e-4, `${p.name}: ${f.toFixed(4)} vs ${ref.toFixed(4)}`)
  }
  const core = selectNeurons(col, { n: 5000, connectedSelection: false, coreOnly: true, coreRadius: 400, seed: 1 })
  t.equal(core.length, 5000)
  t.ok(Array.from(core).every((c) => col.radius[c] < 400), 'core_only draws inside r < 400 µm')
  t.throws(() => selectNeurons(col, { n: 60000, connectedSelection: false, coreOnly: true, coreRadius: 400, seed: 1 }), V1lmError)
  t.throws(() => selectNeurons(col, { n: 1.5, connectedSelection: true, coreOnly: false, coreRadius: 400, seed: 1 }), V1lmError)
  t.equal(selectNeurons(col, { n: 0, connectedSelection: true, coreOnly: false, coreRadius: 400, seed: 1 }).length, 230924)
})

const opts = { v1Neurons: 4000, lmNeurons: 0, realisticNeuronsRatio: false, lgnUnits: false as const, seed: 7 }
const net = buildNetwork(opts)
const v1 = net.areas[0]
const rec = net.blocks.find((b) => b.name === 'v1.recurrent')!

t.test('V1 build: structure, BKG, determinism', async (t) => {
  validateNetwork(net)
  t.equal(v1.n, 4000)
  t.equal(net.maxDelay, 4)
  const bkg = net.blocks.find((b) => b.name === 'v1.bkg')!
  t.equal(bkg.pre.length, 4 * v1.n, '4 BKG synapses per neuron')
  t.ok(bkg.pre.every((p) => p >= 0 && p < 100))
  const again = buildNetwork(opts)
  t.same(again.blocks.map((b) => [b.name, b.pre.length]), net.blocks.map((b) => [b.name, b.pre.length]))
  t.ok(Buffer.from(again.blocks[0].weight.buffer).equals(Buffer.from(rec.weight.buffer)), 'same seed → identical weights')
  t.ok(Buffer.from(again.blocks[0].pre.buffer).equals(Buffer.from(rec.pre.buffer)), 'same seed → identical edges')
  const other = buildNetwork({ ...opts, seed: 8 })
  t.not(other.blocks[0].pre.length, rec.pre.length, 'another seed → another network')
  t.equal(Object.keys(v1.laminarIndices).length, LAMINAR_KEYS.length)
  t.equal(v1.readoutNeuronIds.length, 10)
  t.ok(v1.readoutNeuronIds.every((r) => r.length === 16 && Array.from(r).every((i) => v1.popName[v1.nodeTypeIndex[i]].startsWith('e5'))))
  t.ok(v1.coreMask.every((m) => m === 1), 'all of a 4,000-neuron selection lies in the core')
  t.throws(() => buildNetwork({ ...opts, v1Neurons: 300 }), V1lmError, 'too few L5e for the readout')
  t.throws(() => buildNetwork({ ...opts, nInput: 100 }), V1lmError)
  t.throws(() => buildNetwork({ ...opts, seed: 1.5 }), V1lmError)
})

t.test('subset = restriction of the larger network (edges decided per pair)', async (t) => {
  const small = buildNetwork({ ...opts, v1Neurons: 2500, neuronsPerOutput: 0 })
  const a = small.areas[0]
  const big = new Set<string>()
  for (let k = 0; k < rec.pre.length; k++) big.add(`${v1.columnId[rec.post[k]]}:${v1.columnId[rec.pre[k]]}`)
  const inSmall = new Set(Array.from(a.columnId))
  let expected = 0
  for (const key of big) { const [p, q] = key.split(':').map(Number); if (inSmall.has(p) && inSmall.has(q)) expected++ }
  const b = small.blocks[0]
  let found = 0
  for (let k = 0; k < b.pre.length; k++) if (big.has(`${a.columnId[b.post[k]]}:${a.columnId[b.pre[k]]}`)) found++
  t.equal(b.pre.length, expected)
  t.equal(found, expected)
})

t.test('weights, delays, receptors follow the edge-type table', async (t) => {
  const et = tb.edgeTypes
  const rowOf = new Map(Array.from(et.edgeTypeId, (id, r) => [id, r]))
  let checked = 0
  for (let k = 0; k < rec.pre.length; k += 37) {
    const r = rowOf.get(rec.edgeTypeId[k])!
    const post = rec.post[k], pre = rec.pre[k]
    const type = tb.nodeTypes.findIndex((n) => n.nodeTypeId === v1.nodeTypeId[v1.nodeTypeIndex[post]])
    const srcPop = tb.popIndex.get(v1.popName[v1.nodeTypeIndex[pre]])!
    t.equal(tb.edgeTypeRow[type * tb.populations.length + srcPop], r)
    t.equal(rec.delay[k], delaySteps(et.delayMs[r], net.maxDelay))
    t.equal(rec.receptor[k], et.receptor[r])
    const vs = v1.types[v1.nodeTypeIndex[post]].V_th - v1.types[v1.nodeTypeIndex[post]].E_L
    const wPa = rec.weight[k] * vs
    t.equal(Math.sign(wPa) || Math.sign(et.synWeight[r]), Math.sign(et.synWeight[r]))
    if (!et.ruleEE[r]) {
      // DirectionRule_others: w / (syn_weight·exp(−(Δ/σ)²)) = nsyns ∈ {3..7}
      const d = directionDelta(v1.tuningAngle[post], v1.tuningAngle[pre])
      const nsyn = wPa / (et.synWeight[r] * Math.exp(-((d / et.weightSigma[r]) ** 2)))
      t.ok(Math.abs(nsyn - Math.round(nsyn)) < 1e-3 && nsyn >= 2.999 && nsyn <= 7.001, `nsyns ${nsyn}`)
    } else {
      t.ok(Math.abs(wPa) <= Math.abs(et.synWeight[r]) * 7 * (5.5 / 4) * 1.0001)
    }
    checked++
  }
  t.ok(checked > 100)
})

t.test('connection probability vs distance and orientation matches the rule', async (t) => {
  // per (pair class, distance bin, orientation bin): realized connections vs Σ p over all candidate pairs
  const pops = ['e23Cux2', 'e4Scnn1a', 'i23Pvalb', 'e6Ntsr1', 'i4Pvalb']
  const popOf = (i: number) => v1.popName[v1.nodeTypeIndex[i]]
  const ids = (name: string) => Array.from({ length: v1.n }, (_, i) => i).filter((i) => popOf(i) === name)
  const connected = new Set<number>()
  for (let k = 0; k < rec.pre.length; k++) connected.add(rec.post[k] * v1.n + rec.pre[k])
  const pairs = [['e23Cux2', 'e23Cux2'], ['e4Scnn1a', 'e4Scnn1a'], ['i23Pvalb', 'e23Cux2'], ['e6Ntsr1', 'e6Ntsr1'], ['e4Scnn1a', 'i4Pvalb']]
  t.ok(pops.every((p) => ids(p).length > 50))
  let bins = 0
  for (const [sName, tName] of pairs) {
    const rule = tb.rule(tb.popIndex.get(sName)!, tb.popIndex.get(tName)!)!
    const obs = new Float64Array(12), exp = new Float64Array(12)
    for (const i of ids(tName)) for (const j of ids(sName)) {
      if (i === j) continue
      const d2 = (v1.x[i] - v1.x[j]) ** 2 + (v1.z[i] - v1.z[j]) ** 2
      const dOri = orientationDelta(v1.tuningAngle[j], v1.tuningAngle[i])
      const b = Math.min(3, Math.floor(Math.sqrt(d2) / 60)) * 3 + Math.min(2, Math.floor(dOri / 30))
      exp[b] += pairProbability(rule, d2, dOri)
      if (connected.has(i * v1.n + j)) obs[b]++
    }
    for (let b = 0; b < 12; b++) {
      if (exp[b] < 30) continue
      bins++
      const z = (obs[b] - exp[b]) / Math.sqrt(exp[b])
      t.ok(Math.abs(z) < 4.5, `${sName}→${tName} bin ${b}: observed ${obs[b]}, expected ${exp[b].toFixed(1)} (z ${z.toFixed(2)})`)
    }
    // the orientation dependence is really there for E→E
    if (rule.G !== 0) t.ok(exp[0] / exp[2] > 1.3 && obs[0] / obs[2] > 1.3, `${sName}→${tName}: like-to-like`)
  }
  t.ok(bins >= 20, `${bins} tested bins`)
})

t.test('LGN → V1 ≈ 15 edges per neuron (SPEC §6.2)', async (t) => {
  const n = buildNetwork({ ...opts, lgnUnits: undefined, neuronsPerOutput: 0 })
  const lgn = n.blocks.find((b) => b.name === 'v1.lgn')!
  const per = lgn.pre.length / n.areas[0].n
  t.ok(per > 13 && per < 17.5, `${per.toFixed(2)} per neuron`)
  t.ok(lgn.pre.every((p) => p >= 0 && p < 17400))
  t.ok(lgn.weight.every((w) => w > 0 && Number.isFinite(w)))
  validateNetwork(n)
})
