import t from 'tap'
import { cellTypeIndices } from '../lib/losses/celltypes.js'
import type { AreaObservables } from '../lib/losses/total.js'
import { buildWeightRegularizer, groupEdgeTypes, weightRegularizerLoss } from '../lib/losses/regularizer.js'
import { LossRng } from '../lib/losses/rng.js'
import { TrainingLoss, type TrainingLossOptions } from '../lib/losses/total.js'
import { buildRateTargets, rateDistributionLoss } from '../lib/losses/rate.js'
import { loadNeuropixelsUnits, rateSamplesHz } from '../lib/losses/targets.js'

t.test('weight regularizer (SPEC §10.3): direct value and finite-difference gradient', async (t) => {
  const rng = new LossRng(2)
  const ids = Int32Array.from({ length: 40 }, (_, i) => [7, 3, 11, 3][i % 4])
  const w0 = Float32Array.from({ length: 40 }, (_, i) => Math.fround((i % 4 === 2 ? 0 : 1) * (rng.uniform() - 0.3)))
  const reg = buildWeightRegularizer(w0, ids, 1.5)
  t.same(Array.from(reg.groups.edgeTypes), [3, 7, 11], 'np.unique order')
  t.same(Array.from(reg.groups.size), [20, 10, 10])
  const zero = weightRegularizerLoss(w0, reg)
  t.equal(zero.value, 0)
  t.ok(zero.adjoint.every((x) => x === 0), 'gradient 0 at the initial weights')
  const w = Float32Array.from(w0, (x) => Math.fround(x * 1.1 + 0.01))
  const r = weightRegularizerLoss(w, reg)
  const means = (v: Float32Array) => [3, 7, 11].map((e) => {
    let s = 0
    let c = 0
    v.forEach((x, i) => { if (ids[i] === e) { s += x; c++ } })
    return s / c
  })
  const m0 = means(w0)
  const m = means(w)
  const direct = 1.5 * Math.sqrt(m.reduce((a, x, e) => a + ((x - m0[e]) / Math.max(Math.abs(m0[e]), 1e-4)) ** 2, 0) / 3)
  t.ok(Math.abs(r.value - direct) < 1e-12 * direct, `value ${r.value} = ${direct}`)
  const h = 2 ** -14
  let maxErr = 0
  for (let i = 0; i < w.length; i++) {
    const b = w[i]
    w[i] = b + h
    const up = weightRegularizerLoss(w, reg).value
    w[i] = b - h
    const dn = weightRegularizerLoss(w, reg).value
    w[i] = b
    const fd = (up - dn) / (2 * h)
    maxErr = Math.max(maxErr, Math.abs(fd - r.adjoint[i]) / Math.max(1e-3, Math.abs(fd)))
  }
  t.ok(maxErr < 1e-4, `gradient matches finite differences (max rel err ${maxErr.toExponential(2)})`)
  t.throws(() => weightRegularizerLoss(new Float32Array(3), reg), { code: 'E_BAD_ARGUMENT' })
  t.same(Array.from(groupEdgeTypes(Int32Array.of(5, 5)).group), [0, 0])
})

const POPS = ['e23Cux2', 'i23Pvalb', 'i23Sst', 'i23Htr3a', 'e4Rorb', 'e4other', 'i4Pvalb', 'i4Sst', 'i4Htr3a', 'i1Htr3a', 'e5Rbp4', 'i5Pvalb', 'i5Sst', 'i5Htr3a', 'e6Ntsr1', 'i6Pvalb', 'i6Sst', 'i6Htr3a']

function area(name: 'v1' | 'lm', n: number, seed: number) {
  const rng = new LossRng(seed)
  const popNames = Array.from({ length: n }, (_, i) => POPS[i % POPS.length])
  const tuningAngleDeg = Float32Array.from({ length: n }, () => Math.fround(rng.uniform() * 360))
  const edgeTypeIds = Int32Array.from({ length: 5 * n }, (_, i) => i % 9)
  const initialWeights = Float32Array.from({ length: 5 * n }, () => Math.fround(rng.uniform() - 0.5))
  return { area: name, popNames, tuningAngleDeg, recurrent: { initialWeights, edgeTypeIds } }
}

function observe(req: ReturnType<TrainingLoss['request']>, ns: number[], B: number, T: number, seed: number): AreaObservables[] {
  const rng = new LossRng(seed)
  return req.map((r, k) => {
    const bin = r.bins[0]
    const counts = Float32Array.from({ length: B * ns[k] }, () => Math.floor(rng.uniform() * bin.size * 0.02))
    const K = r.subsets.trials.length
    const traces = Float32Array.from({ length: B * K * T }, () => (rng.uniform() < 0.1 ? 1 : 0))
    return { counts: { data: counts, batch: B, bins: 1, neurons: ns[k], binSteps: bin.size }, traces: { data: traces, batch: B, subsets: K, steps: T }, voltageRegularizer: 0.3 + k }
  })
}

t.test('TrainingLoss assembles SPEC §10.6 from the per-area terms', async (t) => {
  const B = 2
  const T = 500
  const ns = [180, 90]
  const opts: TrainingLossOptions = {
    areas: [area('v1', ns[0], 1), area('lm', ns[1], 2)],
    costs: { rate: 100, voltage: 1, regularizer: 1, osi: 20, sync: 1 },
    seqLen: T, delays: [100, 0], batch: B, coreLoss: false, osiLossMethod: 'crowd_osi', subtractionRatio: 1,
    fanoSamples: 30, spontaneousTraining: false, seed: 3000,
  }
  const loss = new TrainingLoss(opts)
  t.throws(() => loss.evaluate([], [0]), { code: 'E_BAD_ARGUMENT' }, 'request() first')
  const saved = loss.state()
  const spontReq = loss.request(true)
  t.same(spontReq[0].bins, [{ start: 100, size: 400, count: 1 }])
  t.equal(spontReq[0].subsets.trials.length, 30)
  const obs = observe(spontReq, ns, B, T, 5)
  const weights = opts.areas.map((a) => Float32Array.from(a.recurrent!.initialWeights, (x) => x * 1.05))
  const sp = loss.evaluate(obs, [0, 0], weights)
  t.equal(sp.terms.osi, 0, 'no OSI term on spontaneous steps')
  t.ok(Math.abs(sp.terms.voltage - (0.3 + 1.3) / 2) < 1e-12, 'voltage: mean over areas of cost · vreg')
  t.equal(sp.adjoints[0].voltageRegularizer, 0.5)
  t.ok(sp.terms.regularizer > 0 && sp.adjoints[0].recurrentWeights!.some((x) => x !== 0))
  t.ok(Math.abs(sp.total - (sp.terms.rate + sp.terms.voltage + sp.terms.regularizer + sp.terms.osi + sp.terms.sync)) < 1e-12)
  t.ok(Math.abs(sp.terms.rate - (sp.perArea.v1.rate + sp.perArea.lm.rate) / 2) < 1e-12)
  // the rate term equals an independent evaluation with the spontaneous targets
  const units = loadNeuropixelsUnits('v1')
  const tg = buildRateTargets({ cellTypeOfNeuron: cellTypeIndices(opts.areas[0].popNames), ratesHz: rateSamplesHz(units, 'spontaneous'), seed: 3000 })
  const alone = rateDistributionLoss(obs[0].counts, tg, { cost: 100, rng: new LossRng(1) })
  t.ok(Math.abs(alone.value - sp.perArea.v1.rate) < 1e-9 * alone.value, 'v1 rate term matches rateDistributionLoss')
  // evoked: EMA update then OSI
  const emaBefore = loss.state().ema.v1.slice()
  const evReq = loss.request(false)
  const ev = loss.evaluate(observe(evReq, ns, B, T, 6), [45, 270], weights)
  t.ok(ev.terms.osi > 0, 'OSI term on evoked steps')
  t.notSame(Array.from(loss.state().ema.v1), Array.from(emaBefore), 'EMA updated on evoked steps')
  t.throws(() => loss.evaluate(obs, [0, 0], weights), { code: 'E_BAD_ARGUMENT' }, 'one evaluate per request')
  // restore → the same subsets and the same loss
  const after = loss.state()
  loss.restore(saved)
  const again = loss.request(true)
  t.same(Array.from(again[1].subsets.indices), Array.from(spontReq[1].subsets.indices), 'restored RNG reproduces the sample')
  t.ok(Math.abs(loss.evaluate(obs, [0, 0], weights).total - sp.total) < 1e-12, 'and the loss')
  loss.restore(after)
  t.throws(() => loss.restore({ rng: after.rng, ema: { v1: new Float32Array(2) } }), { code: 'E_BAD_ARGUMENT' })
  t.throws(() => { loss.request(true); loss.evaluate(obs, [0, 0]) }, { code: 'E_BAD_ARGUMENT' }, 'regularizer needs the weights')
})

t.test('TrainingLoss: core_loss, annulus, crowd_spikes, spontaneous_training, errors', async (t) => {
  const B = 1
  const T = 300
  const v1 = { ...area('v1', 200, 3), recurrent: undefined }
  const lm = { ...area('lm', 40, 4), recurrent: undefined }
  const base: TrainingLossOptions = {
    areas: [v1, lm], costs: { rate: 10, voltage: 1, regularizer: 0, osi: 1, sync: 1 }, seqLen: T, delays: [50, 0], batch: B,
    coreLoss: false, osiLossMethod: 'crowd_spikes', subtractionRatio: 0, fanoSamples: 5, spontaneousTraining: false, seed: 1,
  }
  const l = new TrainingLoss(base)
  const req = l.request(false)
  const r = l.evaluate(observe(req, [200, 40], B, T, 9), [90])
  t.ok(r.terms.osi !== 0, 'crowd_spikes term')
  t.equal(r.adjoints[0].recurrentWeights, undefined)
  const st = new TrainingLoss({ ...base, spontaneousTraining: true })
  t.equal(st.evaluate(observe(st.request(false), [200, 40], B, T, 9), [90]).terms.osi, 0, 'spontaneous_training: no OSI')
  const bigLm = { ...area('lm', 7414, 5), recurrent: undefined }
  t.throws(() => new TrainingLoss({ ...base, areas: [bigLm], coreLoss: true }), { code: 'E_BAD_ARGUMENT' }, 'core indices required')
  // V1 just above the core size: core = first 51,978 neurons, annulus = the other 22 (rate and OSI at 0.1×)
  const nBig = 52000
  const bigV1 = { ...area('v1', nBig, 6), recurrent: undefined, core: Int32Array.from({ length: 51978 }, (_, i) => i) }
  const withCore = new TrainingLoss({ ...base, areas: [bigV1], coreLoss: true, osiLossMethod: 'crowd_osi', fanoSamples: 3 })
  const rq = withCore.request(false)
  t.ok(Array.from(rq[0].subsets.indices).every((i) => i < 51978), 'synchrony pool restricted to the core')
  const ob = observe(rq, [nBig], B, T, 12)
  const ev = withCore.evaluate(ob, [30])
  const units = loadNeuropixelsUnits('v1')
  const types = cellTypeIndices(bigV1.popNames)
  const ratesHz = rateSamplesHz(units, 'evoked')
  const annulus = Int32Array.from({ length: 22 }, (_, i) => 51978 + i)
  const coreOnly = rateDistributionLoss(ob[0].counts, buildRateTargets({ cellTypeOfNeuron: types, ratesHz, neurons: bigV1.core, seed: 1 }), { cost: 10, rng: new LossRng(0) }).value
  const annulusOnly = rateDistributionLoss(ob[0].counts, buildRateTargets({ cellTypeOfNeuron: types, ratesHz, neurons: annulus, seed: 1 }), { cost: 1, rng: new LossRng(0) }).value
  t.ok(Math.abs(ev.perArea.v1.rate - (coreOnly + annulusOnly)) < 1e-9 * ev.perArea.v1.rate, 'rate = core term + 0.1× annulus term')
  t.ok(ev.adjoints[0].counts.subarray(51978).some((x) => x !== 0), 'annulus neurons receive adjoints')
  t.throws(() => new TrainingLoss({ ...base, areas: [] }), { code: 'E_BAD_ARGUMENT' })
  t.throws(() => new TrainingLoss({ ...base, areas: [{ ...v1, tuningAngleDeg: new Float32Array(3) }] }), { code: 'E_BAD_ARGUMENT' })
  t.throws(() => new TrainingLoss({ ...base, seqLen: 100, delays: [60, 40] }), { code: 'E_BAD_ARGUMENT' })
  const l2 = new TrainingLoss(base)
  const q = l2.request(true)
  const o = observe(q, [200, 40], B, T, 1)
  t.throws(() => l2.evaluate([o[0]], [0]), { code: 'E_BAD_ARGUMENT' })
  l2.request(true)
  t.throws(() => l2.evaluate([{ ...o[0], counts: { ...o[0].counts, neurons: 199 } }, o[1]], [0]), { code: 'E_BAD_ARGUMENT' })
})
