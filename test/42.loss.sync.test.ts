import t from 'tap'
import type { PopulationTraces } from '../lib/losses/observables.js'
import { LossRng } from '../lib/losses/rng.js'
import { MIN_SUBSET, sampleSynchronySubsets, SUBSET_SIZE, synchronyLoss, type SynchronyConfig } from '../lib/losses/sync.js'
import type { FanoTarget } from '../lib/losses/targets.js'

const TARGET: FanoTarget = { area: 'v1', session: 'evoked', fileDurationMs: 300, startStep: 20, endStep: 80, binSizesMs: [1, 1, 2, 3, 4, 6, 9, 13, 18, 26], fano: Float64Array.from([1.02, 1.03, 1.05, 1.08, 1.11, 1.15, 1.2, 1.24, 1.21, 1.19]) }

function config(pool: Int32Array, samples: number): SynchronyConfig {
  return { pool, size: { mean: 20, sd: 8 }, samples, target: TARGET, cost: 3 }
}

t.test('subset sampling follows the reference scheme (SPEC §10.5)', async (t) => {
  const pool = Int32Array.from({ length: 100 }, (_, i) => 3 * i)
  const cfg = config(pool, 40)
  const s = sampleSynchronySubsets(cfg, 4, new LossRng(1))
  t.equal(s.offsets.length, 41)
  t.equal(s.trials.length, 40)
  t.ok(s.trials.every((b) => b >= 0 && b < 4))
  const poolSet = new Set(pool)
  let run = 0
  let used = new Set<number>()
  for (let k = 0; k < 40; k++) {
    const ids = Array.from(s.indices.subarray(s.offsets[k], s.offsets[k + 1]))
    t.ok(ids.length >= MIN_SUBSET && ids.length <= pool.length, `subset ${k} size ${ids.length} in [15, pool]`)
    t.ok(ids.every((i) => poolSet.has(i)))
    t.equal(new Set(ids).size, ids.length, 'no repeats inside a subset')
    if (run + ids.length > pool.length) {
      used = new Set()
      run = 0
    }
    for (const i of ids) {
      t.notOk(used.has(i), 'consumed without replacement until the pool is re-shuffled')
      used.add(i)
    }
    run += ids.length
  }
  const again = sampleSynchronySubsets(cfg, 4, new LossRng(1))
  t.same(Array.from(again.indices), Array.from(s.indices), 'same seed, same subsets')
  const tiny = sampleSynchronySubsets(config(Int32Array.of(1, 2, 3), 5), 1, new LossRng(2))
  t.same(Array.from(tiny.offsets), [0, 3, 6, 9, 12, 15], 'sizes clipped to the pool')
  t.same(SUBSET_SIZE.lm, { mean: 33, sd: 14 })
  t.throws(() => sampleSynchronySubsets(config(new Int32Array(0), 5), 1, new LossRng(2)), { code: 'E_BAD_NETWORK' })
  t.throws(() => sampleSynchronySubsets(cfg, 0, new LossRng(2)), { code: 'E_BAD_ARGUMENT' })
  t.throws(() => sampleSynchronySubsets(config(pool, 0), 1, new LossRng(2)), { code: 'E_BAD_ARGUMENT' })
})

/** Direct float64 Fano loss: bin counts, population variance (ddof 0), var / max(mean, 1e-7), mean over subsets. */
function direct(tr: PopulationTraces, trials: Int32Array, cfg: SynchronyConfig): number {
  const { startStep, endStep, binSizesMs, fano } = cfg.target
  let loss = 0
  binSizesMs.forEach((w, k) => {
    let F = 0
    for (let s = 0; s < tr.subsets; s++) {
      const series: number[] = []
      for (let t = startStep; t < endStep; t++) series.push(tr.data[(trials[s] * tr.subsets + s) * tr.steps + t])
      const nb = Math.floor(series.length / w)
      const c = Array.from({ length: nb }, (_, j) => series.slice(j * w, (j + 1) * w).reduce((a, b) => a + b, 0))
      const mu = c.reduce((a, b) => a + b, 0) / nb
      const v = c.reduce((a, b) => a + (b - mu) ** 2, 0) / nb
      F += v / Math.max(mu, 1e-7) / tr.subsets
    }
    loss += (fano[k] - F) ** 2
  })
  return (cfg.cost * loss) / binSizesMs.length
}

t.test('synchrony loss: value against a direct float64 computation, adjoint against finite differences', async (t) => {
  const pool = Int32Array.from({ length: 50 }, (_, i) => i)
  const cfg = config(pool, 6)
  const B = 2
  const T = 90
  const sample = sampleSynchronySubsets(cfg, B, new LossRng(4))
  const rng = new LossRng(8)
  const data = new Float32Array(B * 6 * T)
  for (let i = 0; i < data.length; i++) data[i] = Math.fround(rng.uniform() * 3)
  const traces: PopulationTraces = { data, batch: B, subsets: 6, steps: T }
  const r = synchronyLoss(traces, sample, cfg)
  const d = direct(traces, sample.trials, cfg)
  t.ok(Math.abs(r.value - d) < 1e-10 * d, `value ${r.value} = direct ${d}`)
  t.equal(r.fano.length, TARGET.binSizesMs.length)
  const h = 2 ** -12
  let maxErr = 0
  let offRow = 0
  for (let k = 0; k < data.length; k++) {
    const base = data[k]
    data[k] = base + h
    const up = synchronyLoss(traces, sample, cfg).value
    data[k] = base - h
    const dn = synchronyLoss(traces, sample, cfg).value
    data[k] = base
    const fd = (up - dn) / (2 * h)
    maxErr = Math.max(maxErr, Math.abs(fd - r.adjoint[k]) / Math.max(1e-5, Math.abs(fd)))
    const s = Math.floor(k / T) % 6
    const b = Math.floor(k / (6 * T))
    const t0 = k % T
    if (b !== sample.trials[s] || t0 < TARGET.startStep || t0 >= TARGET.endStep) offRow = Math.max(offRow, Math.abs(r.adjoint[k]))
  }
  t.ok(maxErr < 1e-4, `adjoint matches finite differences (max rel err ${maxErr.toExponential(2)})`)
  t.equal(offRow, 0, 'no adjoint outside the subset trial row and the window')
})

t.test('synchrony loss: silent subsets, empty bin list, shape checks', async (t) => {
  const pool = Int32Array.from({ length: 20 }, (_, i) => i)
  const cfg = config(pool, 2)
  const sample = sampleSynchronySubsets(cfg, 1, new LossRng(1))
  const traces: PopulationTraces = { data: new Float32Array(2 * 90), batch: 1, subsets: 2, steps: 90 }
  const r = synchronyLoss(traces, sample, cfg)
  t.ok(Math.abs(r.value - direct(traces, sample.trials, cfg)) < 1e-12, 'silent: F = 0, loss = mean target²')
  t.ok(r.adjoint.every((x) => Number.isFinite(x)))
  t.equal(synchronyLoss(traces, sample, { ...cfg, target: { ...TARGET, binSizesMs: [], fano: new Float64Array(0) } }).value, 0)
  t.throws(() => synchronyLoss({ ...traces, steps: 91 }, sample, cfg), { code: 'E_BAD_ARGUMENT' })
  t.throws(() => synchronyLoss({ ...traces, subsets: 1, data: new Float32Array(90) }, sample, cfg), { code: 'E_BAD_ARGUMENT' })
  t.throws(() => synchronyLoss({ data: new Float32Array(2 * 50), batch: 1, subsets: 2, steps: 50 }, sample, cfg), { code: 'E_BAD_ARGUMENT' })
})
