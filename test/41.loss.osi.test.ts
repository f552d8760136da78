import t from 'tap'
import { cellTypeIndices } from '../lib/losses/celltypes.js'
import type { SpikeCounts } from '../lib/losses/observables.js'
import { buildCrowdOsiTargets, crowdOsiLoss, crowdSpikesLoss, EMA_INITIAL, foldedDeltaDeg, RateNormalizer, type OsiDsiTypeTarget } from '../lib/losses/osi.js'
import { LossRng } from '../lib/losses/rng.js'

const POPS = ['e23Cux2', 'i23Pvalb', 'e4Rorb', 'i4Sst', 'e5Rbp4', 'i6Htr3a', 'e6Ntsr1', 'i1Htr3a']
const TARGETS: OsiDsiTypeTarget[] = [
  { cellType: 'L4 Exc', osi: 0.27, dsi: 0.19 },
  { cellType: 'L2/3 Exc', osi: 0.36, dsi: 0.24 },
  { cellType: 'L2/3 PV', osi: 0.16, dsi: null },
  { cellType: 'L5 Exc', osi: 0.29, dsi: 0.12 },
  { cellType: 'L6 Exc', osi: 0.48, dsi: 0.11 },
  { cellType: 'L4 SST', osi: 0.1, dsi: 0.04 },
]

function setup(n: number, B: number, binSteps: number, scale: number, seed: number) {
  const rng = new LossRng(seed)
  const pops = Array.from({ length: n }, (_, i) => POPS[i % POPS.length])
  const types = cellTypeIndices(pops)
  const tuning = Float32Array.from({ length: n }, () => Math.fround(rng.uniform() * 360))
  const data = new Float32Array(B * n)
  for (let i = 0; i < data.length; i++) data[i] = Math.fround(rng.uniform() * binSteps * scale)
  const counts: SpikeCounts = { data, batch: B, bins: 1, neurons: n, binSteps }
  const angles = Float64Array.from({ length: B }, () => rng.uniform() * 360)
  return { types, tuning, counts, angles }
}

/** Direct float64 crowd_osi following the reference code line by line (per batch squares, mean over batch). */
function directCrowdOsi(counts: SpikeCounts, typeOf: (i: number) => number, targets: OsiDsiTypeTarget[], counts_t: number[], tuning: Float32Array, angles: Float64Array, eta: Float32Array | null, cost: number): number {
  const { batch: B, neurons: n, binSteps } = counts
  const total = counts_t.reduce((a, b) => a + b, 0)
  let loss = 0
  for (let b = 0; b < B; b++) {
    let lb = 0
    targets.forEach((tg, k) => {
      let A = 0
      let P = 0
      let Q = 0
      let c = 0
      for (let i = 0; i < n; i++) {
        if (typeOf(i) !== k) continue
        const r = counts.data[b * n + i] / binSteps / (eta ? Math.max(eta[i], 0.0005) : 1)
        const d = ((angles[b] - tuning[i]) * Math.PI) / 180
        A += r
        P += r * Math.cos(2 * d)
        Q += r * Math.cos(d)
        c++
      }
      if (c === 0) return
      const D = Math.max(A / c, 0.0005)
      lb += counts_t[k] * ((P / c / D - tg.osi) ** 2 + (tg.dsi === null ? 0 : (Q / c / D - tg.dsi) ** 2))
    })
    loss += lb / total
  }
  return (cost * loss) / B
}

function fdCheck(t: { ok: (ok: boolean, message: string) => unknown }, f: () => number, data: Float32Array, adjoint: Float32Array, label: string) {
  const h = 2 ** -16
  let maxErr = 0
  for (let k = 0; k < data.length; k++) {
    const base = data[k]
    data[k] = base + h
    const up = f()
    data[k] = base - h
    const dn = f()
    data[k] = base
    const fd = (up - dn) / (2 * h)
    const err = Math.abs(fd - adjoint[k]) / Math.max(1e-4, Math.abs(fd))
    maxErr = Math.max(maxErr, err)
  }
  t.ok(maxErr < 1e-4, `${label}: adjoint matches finite differences (max rel err ${maxErr.toExponential(2)})`)
}

t.test('crowd_osi: direct float64 value and finite-difference adjoint, with and without the EMA normalizer', async (t) => {
  for (const [scale, label] of [[0.02, 'active types'], [0.0002, 'types under the 5e-4 floor']] as const) {
    const n = 48
    const B = 2
    const { types, tuning, counts, angles } = setup(n, B, 300, scale, 11)
    const targets = buildCrowdOsiTargets(types, TARGETS)
    t.same(targets.types.map((x) => x.cellType), ['L2/3 Exc', 'L2/3 PV', 'L4 Exc', 'L4 SST', 'L5 Exc', 'L6 Exc'], 'alphabetical order')
    t.equal(targets.neurons.length, 36, 'neurons of types without target (i6Htr3a, i1Htr3a) are left out (SPEC §15.10)')
    const slot = new Map(Array.from(targets.neurons, (i, j) => [i, targets.typeOfNeuron[j]]))
    const typeOf = (i: number) => slot.get(i) ?? -1
    const norm = new RateNormalizer(n)
    norm.update(counts)
    for (const eta of [null, norm.values]) {
      const opts = { cost: 20, stimulusAngleDeg: angles, tuningAngleDeg: tuning, normalizer: eta ?? undefined }
      const r = crowdOsiLoss(counts, targets, opts)
      const direct = directCrowdOsi(counts, typeOf, targets.types, Array.from(targets.counts), tuning, angles, eta, 20)
      t.ok(Math.abs(r.value - direct) < 1e-12 * Math.max(1, direct), `${label}, normalizer ${eta ? 'on' : 'off'}: value ${r.value} = ${direct}`)
      fdCheck(t, () => crowdOsiLoss(counts, targets, opts).value, counts.data, r.adjoint, `${label}, normalizer ${eta ? 'on' : 'off'}`)
    }
  }
})

t.test('crowd_osi: core restriction, empty targets, argument checks', async (t) => {
  const { types, tuning, counts, angles } = setup(16, 1, 100, 0.02, 3)
  const core = Int32Array.of(0, 2, 4)
  const tg = buildCrowdOsiTargets(types, TARGETS, core)
  t.same(Array.from(tg.neurons), [0, 2, 4])
  const r = crowdOsiLoss(counts, tg, { cost: 1, stimulusAngleDeg: angles, tuningAngleDeg: tuning })
  t.ok(r.adjoint.every((x, i) => x === 0 || [0, 2, 4].includes(i)), 'only core neurons receive adjoints')
  const none = buildCrowdOsiTargets(types, [])
  t.equal(crowdOsiLoss(counts, none, { cost: 1, stimulusAngleDeg: angles, tuningAngleDeg: tuning }).value, 0)
  t.throws(() => crowdOsiLoss(counts, tg, { cost: 1, stimulusAngleDeg: [1, 2], tuningAngleDeg: tuning }), { code: 'E_BAD_ARGUMENT' })
  t.throws(() => crowdOsiLoss(counts, tg, { cost: 1, stimulusAngleDeg: angles, tuningAngleDeg: [1] }), { code: 'E_BAD_ARGUMENT' })
  t.throws(() => crowdOsiLoss(counts, tg, { cost: 1, stimulusAngleDeg: angles, tuningAngleDeg: tuning, normalizer: new Float32Array(3) }), { code: 'E_BAD_ARGUMENT' })
})

t.test('EMA rate normalizer (SPEC §10.4)', async (t) => {
  const counts: SpikeCounts = { data: Float32Array.of(10, 0, 30, 4), batch: 2, bins: 1, neurons: 2, binSteps: 100 }
  const norm = new RateNormalizer(2)
  t.same(Array.from(norm.values), [Math.fround(EMA_INITIAL), Math.fround(EMA_INITIAL)])
  norm.update(counts)
  t.ok(Math.abs(norm.values[0] - (0.95 * 0.003 + 0.05 * 0.2)) < 1e-7)
  t.ok(Math.abs(norm.values[1] - (0.95 * 0.003 + 0.05 * 0.02)) < 1e-7)
  const restored = new RateNormalizer(2, norm.values)
  t.same(Array.from(restored.values), Array.from(norm.values))
  t.throws(() => new RateNormalizer(3, norm.values), { code: 'E_BAD_ARGUMENT' })
  t.throws(() => new RateNormalizer(3).update(counts), { code: 'E_BAD_ARGUMENT' })
})

t.test('crowd_spikes: folded angles, direct value, adjoint where smooth', async (t) => {
  t.equal(foldedDeltaDeg(350, 0), -10)
  t.equal(foldedDeltaDeg(0, 350), 10)
  t.equal(foldedDeltaDeg(100, 0), -80)
  t.equal(foldedDeltaDeg(45, 0), 45)
  const n = 20
  const { tuning, counts, angles } = setup(n, 2, 200, 0.02, 5)
  counts.data[3] = 0 // a silent neuron: TF's d|x| at 0 is 0
  const opts = { cost: 2, stimulusAngleDeg: angles, tuningAngleDeg: tuning, subtractionRatio: 1 }
  const r = crowdSpikesLoss(counts, opts)
  let abs = 0
  let rate = 0
  for (let b = 0; b < 2; b++) for (let i = 0; i < n; i++) {
    const x = counts.data[b * n + i] / 200
    abs += Math.abs(x * foldedDeltaDeg(angles[b], tuning[i]))
    rate += x
  }
  const direct = 2 * (abs / (2 * n) - (45 * rate) / (2 * n))
  t.ok(Math.abs(r.value - direct) < 1e-12, `value ${r.value} = ${direct}`)
  t.ok(Math.abs(r.adjoint[3] - (2 * -45) / (2 * n * 200)) < 1e-9, 'silent neuron: subtraction term only')
  counts.data[3] = 1
  const r2 = crowdSpikesLoss(counts, opts)
  fdCheck(t, () => crowdSpikesLoss(counts, opts).value, counts.data, r2.adjoint, 'crowd_spikes')
  const core = crowdSpikesLoss(counts, { ...opts, neurons: Int32Array.of(1, 2) })
  t.ok(core.adjoint.every((x, i) => x === 0 || i % n === 1 || i % n === 2))
  t.equal(crowdSpikesLoss(counts, { ...opts, neurons: new Int32Array(0) }).value, 0)
  t.throws(() => crowdSpikesLoss(counts, { ...opts, stimulusAngleDeg: [0] }), { code: 'E_BAD_ARGUMENT' })
  t.throws(() => crowdSpikesLoss(counts, { ...opts, tuningAngleDeg: [0] }), { code: 'E_BAD_ARGUMENT' })
})
