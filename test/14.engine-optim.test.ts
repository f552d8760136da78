// Optimizer ops against their formulas (SPEC §11.3), the sign projection (SPEC §3.4), determinism across
// runs and thread counts, and carried state: T1 + T2 steps from a carried state = T1 + T2 in one trial.
import t from 'tap'
import { createEngine, randomNetwork } from '../lib/engine/index.js'
import type { Engine } from '../lib/engine/index.js'

const net = randomNetwork({ areas: [80, 40], nInputs: 30, seed: 12, recurrentDegree: 10, interareaDegree: 4, lgnDegree: 5, inputWeight: 1.5, bkgWeight: 1.5 })
const B = 2, T = 60
const prob = new Float32Array(B * T * 30).fill(0.05)
const allBlocks = net.blocks.map((b) => b.name)

async function trainStep(eng: Engine) {
  const r = await eng.forward({ steps: T, lgn: { probability: prob }, bins: { start: 10, size: 50, count: 1 } })
  const adj = r.areas.map((a) => ({ counts: Float32Array.from(a.counts, (c) => c - 2), voltageRegularizer: 0.5 }))
  await eng.backward({ areas: adj, trainable: allBlocks })
  return r
}

t.test('Adam, exponentiated Adam and SGD follow SPEC §11.3, then project signs', async (t) => {
  for (const algorithm of ['adam', 'exp_adam', 'sgd'] as const) {
    const eng = await createEngine(net, { backend: 'cpu', batch: B, seed: 5 })
    const lr = algorithm === 'sgd' ? 0.5 : 0.05
    let m = new Float64Array(0), v = new Float64Array(0)
    let crossed = 0
    for (let step = 1; step <= 3; step++) {
      await trainStep(eng)
      const w0 = eng.getWeights('v1.recurrent'), g = eng.getGradients('v1.recurrent')
      if (step === 1) { m = new Float64Array(g.length); v = new Float64Array(g.length) }
      await eng.update({ algorithm, learningRate: lr, step, blocks: ['v1.recurrent'] })
      const w1 = eng.getWeights('v1.recurrent')
      const alpha = lr * Math.sqrt(1 - 0.999 ** step) / (1 - 0.9 ** step)
      let maxErr = 0
      for (let s = 0; s < g.length; s++) {
        let w: number
        if (algorithm === 'sgd') w = w0[s] - lr * g[s]
        else {
          m[s] = m[s] + (g[s] - m[s]) * 0.1
          v[s] = v[s] + (g[s] * g[s] - v[s]) * 0.001
          const u = (alpha * m[s]) / (Math.sqrt(v[s]) + 1e-11)
          w = algorithm === 'adam' ? w0[s] - u : w0[s] * Math.exp(-u * (w0[s] < 0 ? -1 : 1))
        }
        const positive = net.blocks[0].weight[s] >= 0
        const projected = positive ? Math.max(w, 0) : Math.min(w, 0)
        if (projected !== w) crossed++
        maxErr = Math.max(maxErr, Math.abs(w1[s] - projected) / Math.max(1e-3, Math.abs(projected)))
      }
      t.ok(maxErr < 1e-4, `${algorithm} step ${step}: weights match the formula (max rel. error ${maxErr.toExponential(2)})`)
      if (algorithm !== 'sgd') {
        const state = eng.getOptimizerState('v1.recurrent')
        let err = 0, scale = 1e-12
        for (let s = 0; s < g.length; s++) { err = Math.max(err, Math.abs(state.m[s] - m[s])); scale = Math.max(scale, Math.abs(m[s])) }
        t.ok(err / scale < 1e-5, `${algorithm} step ${step}: first moments match`)
      }
      for (let s = 0; s < w1.length; s++)
        if ((net.blocks[0].weight[s] >= 0 && w1[s] < 0) || (net.blocks[0].weight[s] < 0 && w1[s] > 0)) {
          t.fail(`${algorithm}: sign of synapse ${s} flipped`)
          break
        }
    }
    if (algorithm === 'sgd') t.ok(crossed > 0, `sgd with a large step crossed zero ${crossed} times and was projected`)
    if (algorithm === 'exp_adam') t.equal(crossed, 0, 'exp-Adam never changes a sign by itself')
    eng.dispose()
  }
})

t.test('addGradients adds to the backward gradients in the network order', async (t) => {
  const eng = await createEngine(net, { backend: 'cpu', batch: B, seed: 5 })
  await trainStep(eng)
  const g0 = eng.getGradients('lm.recurrent')
  const extra = Float32Array.from(g0, (_, k) => (k % 7) - 3)
  eng.addGradients('lm.recurrent', extra)
  const g1 = eng.getGradients('lm.recurrent')
  t.same(Array.from(g1), Array.from(g0, (x, k) => Math.fround(x + extra[k])), 'g + extra')
  t.throws(() => eng.addGradients('lm.recurrent', new Float32Array(3)), { code: 'E_BAD_ARGUMENT' })
  t.throws(() => eng.addGradients('lm.recurrent', new Float32Array(g0.length).fill(NaN)), { code: 'E_BAD_ARGUMENT' })
})

t.test('optimizer state round-trips for checkpoints', async (t) => {
  const eng = await createEngine(net, { backend: 'cpu', batch: B, seed: 5 })
  await trainStep(eng)
  await eng.update({ algorithm: 'adam', learningRate: 0.01, step: 1, blocks: ['lm.recurrent'] })
  const s = eng.getOptimizerState('lm.recurrent')
  t.ok(s.m.some((x) => x !== 0), 'moments were written')
  const other = await createEngine(net, { backend: 'cpu', batch: B, seed: 5 })
  other.setOptimizerState('lm.recurrent', s)
  other.setWeights('lm.recurrent', eng.getWeights('lm.recurrent'))
  t.same(other.getOptimizerState('lm.recurrent'), s, 'same moments after restore')
  t.same(other.getWeights('lm.recurrent'), eng.getWeights('lm.recurrent'), 'same weights after restore')
})

t.test('bit-identical results across runs and thread counts', async (t) => {
  const results: { raster: Uint32Array[]; grads: Float32Array[] }[] = []
  for (const threads of [1, 2, 3, 1]) {
    const eng = await createEngine(net, { backend: 'cpu', batch: B, seed: 5, threads })
    const r = await trainStep(eng)
    results.push({ raster: r.areas.map((a) => a.raster), grads: allBlocks.map((b) => eng.getGradients(b)) })
    eng.dispose()
  }
  for (let k = 1; k < results.length; k++) {
    t.same(results[k].raster, results[0].raster, `run ${k}: identical spikes`)
    t.same(results[k].grads, results[0].grads, `run ${k}: identical gradients`)
  }
})

t.test('a carried state continues a trial exactly', async (t) => {
  const eng = await createEngine(net, { backend: 'cpu', batch: B, seed: 5 })
  const spikes = new Uint8Array(B * T * 30).map((_, k) => (k * 2654435761) % 97 < 5 ? 1 : 0)
  const counts = [0, 1].map((a) => new Float32Array(B * T * 100).map((_, k) => ((k + a) * 40503) % 11 === 0 ? 1 : 0))
  const whole = await eng.forward({ steps: T, lgn: { spikes }, bkgCounts: counts, recordVoltages: true })
  const T1 = 23, T2 = T - T1
  const slice = <A extends Uint8Array | Float32Array>(x: A, per: number, from: number, len: number): A => {
    const out = new (x.constructor as new (n: number) => A)(B * len * per)
    for (let b = 0; b < B; b++) out.set(x.subarray((b * T + from) * per, (b * T + from + len) * per), b * len * per)
    return out
  }
  const first = await eng.forward({ steps: T1, lgn: { spikes: slice(spikes, 30, 0, T1) }, bkgCounts: counts.map((c) => slice(c, 100, 0, T1)), recordVoltages: true })
  const second = await eng.forward({ steps: T2, state: first.state, lgn: { spikes: slice(spikes, 30, T1, T2) }, bkgCounts: counts.map((c) => slice(c, 100, T1, T2)), recordVoltages: true })
  for (let a = 0; a < 2; a++) {
    const n = net.areas[a].n
    t.same(second.areas[a].voltages, slice(whole.areas[a].voltages!, n, T1, T2), `area ${a}: voltages of the continuation equal the whole trial's`)
  }
  t.same(second.state, whole.state, 'same final state')
})
