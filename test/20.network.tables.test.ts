import fs from 'node:fs'
import t from 'tap'
import { loadTables, compileRule } from '../lib/network/tables.js'
import { delaySteps, directionDelta, directionRuleWeight, maxDelaySteps, roundHalfEven } from '../lib/network/weights.js'
import { populationSizes } from '../lib/network/column.js'

const SHARED = new URL('../../shared/data/', import.meta.url)
const hasShared = fs.existsSync(SHARED)

t.test('node types: 111 GLIF3 types in 21 populations, finite and in range', async (t) => {
  const tb = loadTables()
  t.equal(tb.nodeTypes.length, 111)
  t.equal(tb.populations.length, 21)
  t.equal(tb.populations.reduce((a, p) => a + p.typeIndices.length, 0), 111)
  for (const nt of tb.nodeTypes) {
    const p = nt.params
    t.ok(p.V_th > p.E_L && p.V_th < -10 && p.E_L > -100, `${nt.nodeTypeId} voltages`)
    t.ok(p.g > 0 && p.C_m > 0 && p.t_ref > 0 && p.V_reset === p.E_L)
    if (!(p.k[0] > 0 && p.k[1] > 0)) t.fail(`k of ${nt.nodeTypeId}`)
  }
  t.same(tb.populations.map((p) => p.ruleClass).filter((c, i, a) => a.indexOf(c) === i).length, 17, '17 rule classes')
})

t.test('node types match the NEST-unit conversions of the Allen release', { skip: !hasShared && 'no ../shared/data' }, async (t) => {
  const tb = loadTables()
  for (const nt of tb.nodeTypes) {
    const nest = JSON.parse(fs.readFileSync(new URL(`allen-bmtk-workshop/Ch6_l4model/components/point_neuron_models/nest_models/${nt.nodeTypeId}_glif_lif_asc_config.json`, SHARED), 'utf8'))
    const close = (a: number, b: number) => Math.abs(a - b) < 1e-9 * Math.max(1, Math.abs(b))
    if (!(close(nt.params.V_th, nest.V_th) && close(nt.params.g, nest.g) && close(nt.params.C_m, nest.C_m) && close(nt.params.asc_amps[1], nest.asc_amps[1]) && close(nt.params.k[1], nest.asc_decay[1]))) t.fail(`${nt.nodeTypeId}`)
  }
  const p = tb.nodeTypes.find((n) => n.nodeTypeId === 313861608)!.params
  t.ok(Math.abs(p.V_th - -48.470) < 1e-3 && Math.abs(p.g - 8.119) < 1e-3 && Math.abs(p.t_ref - 1.55) < 1e-9)
})

t.test('connection rules: A correction, cap, orientation factor', async (t) => {
  const r = compileRule({ A_literature: 0.16, R0: 75, sigma: 114, B_ratio: 0.5, nsyn_range: [3, 8] })!
  const Anew = 0.16 / ((114 / 75) ** 2 * (1 - Math.exp(-((75 / 114) ** 2))))
  t.ok(Math.abs(r.A - Anew) < 1e-12)
  t.ok(Math.abs(r.B1 - 4 / 3) < 1e-12 && Math.abs(r.B1 + 90 * r.G - 2 / 3) < 1e-12, 'B1 = 2/(1+B), B2 = B·B1')
  const capped = compileRule({ A_literature: 0.9, R0: 75, sigma: 120, B_ratio: 0.5, nsyn_range: [3, 8] })!
  t.equal(capped.A, 1)
  t.ok(Math.abs(capped.B1 - 1) < 1e-12 && Math.abs(capped.B1 + 90 * capped.G - (2 / 3 + 1 / 3)) < 1e-12, 'B renormalized so A·max(B) ≤ 1')
  t.equal(compileRule({ A_literature: 0, R0: 75, sigma: 120, B_ratio: null, nsyn_range: [3, 8] }), null)
  const noOri = compileRule({ A_literature: 0.1, R0: 75, sigma: 85, B_ratio: null, nsyn_range: [3, 8] })!
  t.equal(noOri.G, 0)
})

t.test('weight rules and delays (SPEC §7.2, §3.3)', async (t) => {
  t.equal(directionDelta(10, 350), 20)
  t.equal(directionDelta(0, 180), 180)
  const w = directionRuleWeight(2, 5, 50, false, 0, 0, 0, 0, 0, 50)
  t.ok(Math.abs(w - 2 * 5 * Math.exp(-1)) < 1e-12)
  // EE at zero offset and θ_trg = 0: θs = 0 → factor 5.5/4
  t.ok(Math.abs(directionRuleWeight(1, 1, 30, true, 0, 0, 0, 0, 0, 0) - 5.5 / 4) < 1e-12)
  t.equal(roundHalfEven(2.5), 2)
  t.equal(roundHalfEven(3.5), 4)
  t.equal(maxDelaySteps(3.8), 4)
  t.equal(maxDelaySteps(7), 5)
  t.equal(delaySteps(0.9, 4), 1)
  t.equal(delaySteps(1.5, 4), 2)
  t.equal(delaySteps(2.5, 4), 2)
  t.equal(delaySteps(3.8, 4), 4)
})

t.test('population sizes: core counts exact, full column 230,924', async (t) => {
  const tb = loadTables()
  const { core, full } = populationSizes(tb)
  t.equal(core.reduce((a, b) => a + b), 51978)
  t.equal(full.reduce((a, b) => a + b), 230924)
  for (let i = 0; i < core.length; i++) t.ok(Math.abs(full[i] / core[i] - 230924 / 51978) < 0.02 * (230924 / 51978), tb.populations[i].name)
})
