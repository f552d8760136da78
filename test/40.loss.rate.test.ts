import t from 'tap'
import { CELL_TYPES, cellTypeIndices, cellTypeOfNeuropixelsLabel, cellTypeOfPopName } from '../lib/losses/celltypes.js'
import { trimmedBin, type SpikeCounts } from '../lib/losses/observables.js'
import { buildRateTargets, huberQuantile, rateDistributionLoss, sampleTargetRates } from '../lib/losses/rate.js'
import { LossRng } from '../lib/losses/rng.js'

const POPS = ['e23Cux2', 'i23Pvalb', 'i23Sst', 'i23Htr3a', 'e4Rorb', 'e4Scnn1a', 'e4Nr5a1', 'e4other', 'i4Pvalb', 'i1Htr3a', 'e5Rbp4', 'e5noRbp4', 'e6Ntsr1', 'i6Sst']

t.test('cell types: pop_name and Neuropixels labels map to the 17 types (SPEC §7.5)', async (t) => {
  t.equal(CELL_TYPES.length, 17)
  t.same([...CELL_TYPES], [...CELL_TYPES].sort(), 'alphabetical, as pandas groupby orders them')
  t.equal(cellTypeOfPopName('e4Nr5a1'), 'L4 Exc')
  t.equal(cellTypeOfPopName('i23Htr3a'), 'L2/3 Htr3a')
  t.equal(cellTypeOfPopName('i1Htr3a'), 'L1 Htr3a')
  t.equal(cellTypeOfPopName('i5Sst'), 'L5 SST')
  t.equal(cellTypeOfPopName('i6Pvalb'), 'L6 PV')
  t.equal(cellTypeOfPopName('i4Vip'), 'L4 Htr3a')
  t.throws(() => cellTypeOfPopName('x9foo'), { code: 'E_BAD_NETWORK' })
  t.throws(() => cellTypeOfPopName('i4Foo'), { code: 'E_BAD_NETWORK' })
  t.equal(cellTypeOfNeuropixelsLabel('L2/3 VIP'), 'L2/3 Htr3a')
  t.equal(cellTypeOfNeuropixelsLabel('EXC_L23'), 'L2/3 Exc')
  t.equal(cellTypeOfNeuropixelsLabel('ALL_L1'), 'L1 Htr3a')
  t.equal(cellTypeOfNeuropixelsLabel('L1 Htr3a'), 'L1 Htr3a')
  t.equal(cellTypeOfNeuropixelsLabel('VIP_L5'), 'L5 Htr3a')
  t.throws(() => cellTypeOfNeuropixelsLabel('L7 Exc'), { code: 'E_BAD_FILE' })
  t.throws(() => cellTypeOfNeuropixelsLabel('ALL_L4'), { code: 'E_BAD_FILE' })
  const idx = cellTypeIndices(['e4Rorb', 'e4other', 'i1Htr3a'])
  t.same(Array.from(idx), [CELL_TYPES.indexOf('L4 Exc'), CELL_TYPES.indexOf('L4 Exc'), 0])
})

t.test('rng: reproducible, restorable, plausible statistics', async (t) => {
  const a = new LossRng(3000)
  const b = new LossRng(3000)
  const c = new LossRng(3000, 1)
  const xs = Array.from({ length: 5 }, () => a.nextU32())
  t.same(xs, Array.from({ length: 5 }, () => b.nextU32()))
  t.not(xs[0], c.nextU32(), 'streams differ')
  const saved = a.state()
  const r = LossRng.fromState(saved)
  t.equal(r.uniform(), a.uniform())
  t.throws(() => LossRng.fromState([0, 0, 0, 0]), { code: 'E_BAD_ARGUMENT' })
  t.throws(() => new LossRng(-1), { code: 'E_BAD_ARGUMENT' })
  let s = 0
  let s2 = 0
  const N = 20000
  for (let i = 0; i < N; i++) {
    const z = a.normal()
    s += z
    s2 += z * z
  }
  t.ok(Math.abs(s / N) < 0.05 && Math.abs(s2 / N - 1) < 0.05, 'normal: mean 0, variance 1')
  const perm = a.shuffle(Int32Array.from({ length: 50 }, (_, i) => i))
  t.same(Array.from(perm).sort((p, q) => p - q), Array.from({ length: 50 }, (_, i) => i), 'shuffle is a permutation')
})

t.test('inverse-CDF target sampling (SPEC §10.1)', async (t) => {
  const emp = [0.004, 0.001, 0.01, 0]
  const got = sampleTargetRates(emp, 7, new LossRng(5))
  const rng = new LossRng(5)
  const sorted = [0, 0.001, 0.004, 0.01]
  const want = Array.from({ length: 7 }, () => {
    const x = rng.uniform() * 3
    const i = Math.min(Math.floor(x), 2)
    return sorted[i] + (x - i) * (sorted[i + 1] - sorted[i])
  }).sort((p, q) => p - q)
  t.same(Array.from(got), want)
  t.same(Array.from(sampleTargetRates([0.002], 3, new LossRng(1))), [0.002, 0.002, 0.002])
  t.throws(() => sampleTargetRates([], 3, new LossRng(1)), { code: 'E_BAD_ARGUMENT' })
})

function makeCounts(B: number, n: number, binSteps: number, seed: number, bins = 1): SpikeCounts {
  const rng = new LossRng(seed)
  const data = new Float32Array(B * bins * n)
  for (let i = 0; i < data.length; i++) data[i] = Math.fround(rng.uniform() * binSteps * 0.012)
  return { data, batch: B, bins, neurons: n, binSteps }
}

t.test('rate loss: value against a direct float64 computation, adjoint against finite differences', async (t) => {
  const n = 60
  const pops = Array.from({ length: n }, (_, i) => POPS[i % POPS.length])
  const types = cellTypeIndices(pops)
  const ratesHz = { 'L2/3 Exc': [1, 2, 5, 9, 0.5], 'L2/3 PV': [10, 20], 'L4 Exc': [3, 4, 4.5, 8], 'L5 Exc': [2, 6], 'L6 Exc': [1, 1.5], 'L6 SST': [4, 7], 'L1 Htr3a': [2], 'L4 PV': [15], 'L2/3 SST': [3], 'L2/3 Htr3a': [6] }
  const targets = buildRateTargets({ cellTypeOfNeuron: types, ratesHz, seed: 42 })
  t.same(targets.missingTypes, [], 'every type present has rates')
  t.equal(targets.totalNeurons, n)
  const core = Int32Array.from({ length: 30 }, (_, i) => 2 * i)
  const coreTargets = buildRateTargets({ cellTypeOfNeuron: types, ratesHz: { 'L2/3 Exc': [1] }, neurons: core, seed: 42, dampening: 0.5 })
  t.ok(coreTargets.types.every((ty) => Array.from(ty.neurons).every((i) => i % 2 === 0)), 'core restriction')
  t.ok(coreTargets.missingTypes.length > 0, 'types without data are reported')
  t.ok(coreTargets.types[0].sortedTargets.every((x) => x <= 0.0005 + 1e-15), 'dampening applied')

  const B = 3
  const binSteps = 400
  const counts = makeCounts(B, n, binSteps, 7, 2)
  const cost = 100
  const res = rateDistributionLoss(counts, targets, { cost, rng: new LossRng(9), bin: 1 })
  // direct float64 computation
  const rates = Array.from({ length: n }, (_, i) => {
    let s = 0
    for (let b = 0; b < B; b++) s += counts.data[(b * 2 + 1) * n + i]
    return s / (B * binSteps)
  })
  let direct = 0
  for (const ty of targets.types) {
    const s = Array.from(ty.neurons, (i) => rates[i]).sort((p, q) => p - q)
    const m = s.length
    s.forEach((r, j) => {
      const u = r - ty.sortedTargets[j]
      const w = Math.abs((j + 1) / m - (u <= 0 ? 1 : 0))
      direct += Math.abs(u) <= 0.002 ? (w * u * u) / 0.004 : w * (Math.abs(u) - 0.001)
    })
  }
  direct = (cost * direct) / n
  t.ok(Math.abs(res.value - direct) < 1e-12 * Math.max(1, direct), `value ${res.value} = direct ${direct}`)
  for (let i = 0; i < n; i++) t.ok(Math.abs(res.rates[i] - rates[i]) < 1e-15)
  t.ok(res.adjoint.slice(0, n).every((x) => x === 0), 'other bins get no adjoint')
  // finite differences on every neuron of one batch row (smooth: distinct rates, no kinks within ±h)
  const h = 2 ** -10
  let maxErr = 0
  for (let i = 0; i < n; i++) {
    const k = (1 * 2 + 1) * n + i
    const base = counts.data[k]
    counts.data[k] = base + h
    const up = rateDistributionLoss(counts, targets, { cost, rng: new LossRng(9), bin: 1 }).value
    counts.data[k] = base - h
    const dn = rateDistributionLoss(counts, targets, { cost, rng: new LossRng(9), bin: 1 }).value
    counts.data[k] = base
    const fd = (up - dn) / (2 * h)
    maxErr = Math.max(maxErr, Math.abs(fd - res.adjoint[k]) / Math.max(1e-3, Math.abs(fd)))
  }
  t.ok(maxErr < 1e-4, `adjoint matches finite differences (max rel err ${maxErr.toExponential(2)})`)
})

t.test('rate loss: ties broken by the random permutation; Huber branches; argument checks', async (t) => {
  t.same(huberQuantile(0.001, 0.25), [(0.25 * 1e-6) / 0.004, 0.25 * 0.5])
  t.same(huberQuantile(-0.001, 0.25), [(0.75 * 1e-6) / 0.004, -0.75 * 0.5])
  t.same(huberQuantile(0.01, 0.25), [0.25 * (0.01 - 0.001), 0.25])
  t.same(huberQuantile(-0.01, 0.25), [0.75 * (0.01 - 0.001), -0.75])
  const types = cellTypeIndices(['e4Rorb', 'e4Rorb', 'e4Rorb', 'e4Rorb'])
  const targets = buildRateTargets({ cellTypeOfNeuron: types, ratesHz: { 'L4 Exc': [1, 2, 30, 40] }, seed: 1 })
  const counts: SpikeCounts = { data: new Float32Array(4), batch: 1, bins: 1, neurons: 4, binSteps: 100 }
  const seen = new Set<string>()
  for (let s = 0; s < 20; s++) {
    const r = rateDistributionLoss(counts, targets, { cost: 1, rng: new LossRng(s) })
    seen.add(Array.from(r.adjoint).join(','))
    t.ok(r.value > 0)
  }
  t.ok(seen.size > 1, 'silent neurons receive the targets in random order')
  t.throws(() => rateDistributionLoss({ ...counts, neurons: 5 }, targets, { cost: 1, rng: new LossRng(1) }), { code: 'E_BAD_ARGUMENT' })
  t.throws(() => rateDistributionLoss(counts, targets, { cost: 1, rng: new LossRng(1), bin: 1 }), { code: 'E_BAD_ARGUMENT' })
  t.throws(() => buildRateTargets({ cellTypeOfNeuron: types, ratesHz: {}, neurons: Int32Array.of(7), seed: 1 }), { code: 'E_BAD_ARGUMENT' })
  t.same(trimmedBin(500, 100, 0), { start: 100, size: 400, count: 1 })
  t.throws(() => trimmedBin(100, 60, 40), { code: 'E_BAD_ARGUMENT' })
})
