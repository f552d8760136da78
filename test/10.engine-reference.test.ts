// The native CPU engine against the float64 autodiff reference of SPEC §2–§5 (test/helpers/reference.ts):
// identical spikes, voltages within 1e-5, observables exact, gradients of every block within 1e-4; and the
// temporal blocking of the backward (backwardStepsPerPass 1, 2, 3) gives bit-identical gradients.
import t from 'tap'
import { createEngine } from '../lib/engine/index.js'
import type { EngineNetwork } from '../lib/engine/types.js'
import { simulateReference } from './helpers/reference.js'
import { bernoulliArray, normalizedError, poissonCounts, smallNetwork, uniformArray } from './helpers/fixtures.js'

interface Case {
  name: string
  areas: number[]
  seed: number
  lgn: 'spikes' | 'current' | 'none'
  pseudoGauss?: boolean
  hardReset?: boolean
  lrScale?: number
  maxDelay?: number
  dampeningFactor?: number
  recurrentDampeningFactor?: number
}
const cases: Case[] = [
  { name: 'two areas, LGN spikes, triangle surrogate', areas: [24, 12], seed: 5, lgn: 'spikes' },
  { name: 'two areas, analog LGN current, Gaussian surrogate', areas: [20, 14], seed: 6, lgn: 'current', pseudoGauss: true },
  { name: 'one area, hard reset, lr_scale 2.5', areas: [30], seed: 7, lgn: 'spikes', hardReset: true, lrScale: 2.5 },
  { name: 'two areas, delays up to 3, ρ = 0.1, γ = 0.3', areas: [16, 16], seed: 8, lgn: 'none', maxDelay: 3, recurrentDampeningFactor: 0.1, dampeningFactor: 0.3 },
]

for (const c of cases) {
  t.test(c.name, async (t) => {
    const B = 2, T = 40, D = c.maxDelay ?? 5
    const net: EngineNetwork = smallNetwork({ areas: c.areas, seed: c.seed, maxDelay: D, nInputs: c.lgn === 'none' ? 0 : 20 })
    const nIn = net.nInputs
    const lgnSpikes = c.lgn === 'spikes' ? bernoulliArray(B * T * nIn, 0.1, c.seed + 100) : null
    const lgnCurrent = c.lgn === 'current' ? uniformArray(B * T * nIn, 0, 0.3, c.seed + 200) : null
    const bkg = net.areas.map((_, a) => poissonCounts(B * T * 100, 0.25, c.seed + 300 + a))
    const opts = {
      batch: B, maxDelay: D, lrScale: c.lrScale ?? 1, hardReset: c.hardReset ?? false,
      dampeningFactor: c.dampeningFactor ?? 0.5, gaussStd: 0.3, pseudoGauss: c.pseudoGauss ?? false,
      recurrentDampeningFactor: c.recurrentDampeningFactor ?? 0.5,
    }
    const eng = await createEngine(net, { ...opts, backend: 'cpu', seed: 3 })
    const bins = { start: 5, size: 10, count: 3 }
    const traces = net.areas.map((a, k) => (k === 0 ? { offsets: Int32Array.from([0, 3, 8]), indices: Int32Array.from([0, 1, 2, 3, 4, 5, 6, 7]) } : null))
    const lgn = lgnSpikes ? { spikes: lgnSpikes } : lgnCurrent ? { current: Float32Array.from(lgnCurrent, (x) => x / 1.3) } : undefined
    const r = await eng.forward({ steps: T, lgn, bkgCounts: bkg, bins, traces, recordVoltages: true })
    const adj = net.areas.map((_, k) => ({
      counts: uniformArray(r.areas[k].counts.length, -1, 1, 20 + k),
      traces: k === 0 ? uniformArray(r.areas[k].traces.length, -1, 1, 30) : undefined,
      voltageRegularizer: 0.7,
    }))
    await eng.backward({ areas: adj, trainable: net.blocks.map((b) => b.name) })
    // The same trial with 1 and 2 backward steps per pass (the default, above, is 3; T = 40 leaves a short last pass).
    for (const stepsPerPass of [1, 2]) {
      const other = await createEngine(net, { ...opts, backend: 'cpu', seed: 3, backwardStepsPerPass: stepsPerPass })
      await other.forward({ steps: T, lgn, bkgCounts: bkg, bins, traces, recordVoltages: true })
      await other.backward({ areas: adj, trainable: net.blocks.map((b) => b.name) })
      for (const b of net.blocks) {
        const g3 = eng.getGradients(b.name), g = other.getGradients(b.name)
        let differ = 0
        for (let k = 0; k < g.length; k++) if (!Object.is(g[k], g3[k]) && !(g[k] === 0 && g3[k] === 0)) differ++
        t.equal(differ, 0, `${b.name}: ${stepsPerPass} and 3 steps per pass give identical gradients`)
      }
      other.dispose()
    }
    // The engine draws x = 1.3·p for analog input in float32; the reference gets the same float32 values.
    const current = lgnCurrent ? Float32Array.from(lgnCurrent, (x) => Math.fround(1.3) * Math.fround(x / 1.3)) : null
    const ref = simulateReference(net, { ...opts, steps: T, lgnSpikes, lgnCurrent: current, bkgCounts: bkg, bins, traces }, adj)
    for (let a = 0; a < net.areas.length; a++) {
      const n = net.areas[a].n
      let same = true, spikes = 0
      for (let b = 0; b < B; b++)
        for (let s = 0; s < T; s++)
          for (let i = 0; i < n; i++) {
            const k = (b * T + s) * n + i
            const bit = (r.areas[a].raster[(b * T + s) * Math.ceil(n / 32) + (i >> 5)] >>> (i & 31)) & 1
            if (bit !== ref.spikes[a][k]) same = false
            spikes += bit
          }
      t.ok(same, `area ${a}: identical spikes (${spikes} spikes)`)
      t.ok(spikes > 10 && spikes < B * T * n * 0.5, `area ${a}: the case exercises spiking (${spikes})`)
      t.ok(normalizedError(r.areas[a].voltages!, ref.voltages[a]) < 1e-5, `area ${a}: voltages within 1e-5`)
      t.same(Array.from(r.areas[a].counts), Array.from(ref.counts[a]), `area ${a}: binned counts exact`)
      t.same(Array.from(r.areas[a].traces), Array.from(ref.traces[a]), `area ${a}: population traces exact`)
      t.ok(Math.abs(r.areas[a].voltageRegularizer - ref.vreg[a]) <= 1e-5 * ref.vreg[a], `area ${a}: voltage regularizer`)
    }
    net.blocks.forEach((b, k) => {
      const g = eng.getGradients(b.name)
      let nz = 0
      for (const x of ref.gradients[k]) if (x !== 0) nz++
      t.ok(nz > 0, `${b.name}: reference gradient is not all zero`)
      const err = normalizedError(g, ref.gradients[k])
      t.ok(err < 1e-4, `${b.name}: gradient within 1e-4 (normalized error ${err.toExponential(2)})`)
    })
    eng.dispose()
  })
}
