// adjointPrecision 'bfloat16' (issue 7): dL/dI rounded to bfloat16 where the neuron adjoints store it. A weight
// whose presynaptic neuron spiked once has a one-term gradient, so its bfloat16 gradient is exactly the float32
// one rounded; on a random network the gradients move by about bfloat16's precision and the forward not at all.
import t from 'tap'
import { backends } from '../lib/native.js'
import { createEngine, spikeAt, type AdjointPrecision } from '../lib/engine/index.js'
import { bernoulliArray, normalizedError, pair as driverPair, poissonCounts, smallNetwork, uniformArray } from './helpers/fixtures.js'

/** x rounded to bfloat16 (nearest, ties to even), as a float32. */
function bf16(x: number): number {
  const f = new Float32Array([x])
  const u = new Uint32Array(f.buffer)
  u[0] = (u[0] + 0x7fff + ((u[0] >>> 16) & 1)) & 0xffff0000
  return f[0]
}

/** Driver neuron 0 (LGN weight 20: one input spike makes it spike once, at step 11) → neuron 1, one synapse of delay 2. */
const pair = driverPair(0.3, 1, 2, 2.2, 20)

t.test('one presynaptic spike: the bfloat16 gradient is the float32 gradient rounded', async (t) => {
  const T = 30
  const lgn = new Uint8Array(T)
  lgn[3] = 1
  const grads: Record<string, number[]> = {}
  for (const adjointPrecision of ['float32', 'bfloat16'] as const) {
    const eng = await createEngine(pair, { backend: 'cpu', connectNoise: false, adjointPrecision })
    const r = await eng.forward({ steps: T, lgn: { spikes: lgn }, bins: { start: 0, size: T, count: 1 } })
    const driverSpikes = [...Array(T).keys()].filter((s) => spikeAt(r.areas[0].raster, 2, T, 0, s, 0)).length
    t.equal(driverSpikes, 1, `${adjointPrecision}: the driver spikes once`)
    await eng.backward({ areas: [{ counts: Float32Array.of(0.37, 1.91), voltageRegularizer: 0.83 }], trainable: ['rec', 'lgn'] })
    grads[adjointPrecision] = ['rec', 'lgn'].map((b) => eng.getGradients(b)[0])
    eng.dispose()
  }
  for (const [k, name] of ['rec', 'lgn'].entries()) {
    const g32 = grads.float32[k], g16 = grads.bfloat16[k]
    t.not(g32, 0, `${name}: the float32 gradient is not 0`)
    t.not(bf16(g32), g32, `${name}: the float32 gradient ${g32} is not already a bfloat16 value`)
    t.equal(g16, bf16(g32), `${name}: bfloat16 gradient ${g16} = bf16(${g32})`)
  }
})

t.test('random network: forward unchanged, gradients within bfloat16 precision of float32', async (t) => {
  const B = 2, T = 40
  const net = smallNetwork({ areas: [24, 12], seed: 11, maxDelay: 5, nInputs: 20 })
  const lgn = { spikes: bernoulliArray(B * T * 20, 0.1, 111) }
  const bkg = net.areas.map((_, a) => poissonCounts(B * T * 100, 0.25, 311 + a))
  const bins = { start: 5, size: 10, count: 3 }
  const trainable = net.blocks.map((b) => b.name)
  const run = async (adjointPrecision: AdjointPrecision) => {
    const eng = await createEngine(net, { backend: 'cpu', batch: B, seed: 3, adjointPrecision })
    const r = await eng.forward({ steps: T, lgn, bkgCounts: bkg, bins })
    const adj = net.areas.map((_, k) => ({ counts: uniformArray(r.areas[k].counts.length, -1, 1, 40 + k), voltageRegularizer: 0.7 }))
    await eng.backward({ areas: adj, trainable })
    const out = { rasters: r.areas.map((a) => a.raster), grads: trainable.map((b) => eng.getGradients(b)) }
    eng.dispose()
    return out
  }
  const f32 = await run('float32'), b16 = await run('bfloat16')
  f32.rasters.forEach((r, a) => t.same(b16.rasters[a], r, `area ${a}: identical spikes`))
  let changed = 0
  trainable.forEach((name, k) => {
    const err = normalizedError(b16.grads[k], f32.grads[k])
    t.ok(err < 1e-2, `${name}: normalized gradient error ${err.toExponential(2)} < 1e-2`)
    for (let s = 0; s < f32.grads[k].length; s++) if (b16.grads[k][s] !== f32.grads[k][s]) changed++
  })
  t.ok(changed > 0, `${changed} gradient entries differ from float32`)
})

t.test('cuda, deterministic mode: bfloat16 gradients identical to the cpu', { skip: !backends().cuda.available && 'no CUDA device' }, async (t) => {
  const B = 2, T = 40
  const net = smallNetwork({ areas: [24, 12], seed: 12, maxDelay: 5, nInputs: 20 })
  const lgn = { spikes: bernoulliArray(B * T * 20, 0.1, 112) }
  const trainable = net.blocks.map((b) => b.name)
  const grads: Float32Array[][] = []
  for (const backend of ['cpu', 'cuda'] as const) {
    const eng = await createEngine(net, { backend, deterministic: true, batch: B, seed: 3, connectNoise: false, adjointPrecision: 'bfloat16' })
    const r = await eng.forward({ steps: T, lgn, bins: { start: 5, size: 10, count: 3 } })
    await eng.backward({ areas: net.areas.map((_, k) => ({ counts: uniformArray(r.areas[k].counts.length, -1, 1, 50 + k), voltageRegularizer: 0.7 })), trainable })
    grads.push(trainable.map((b) => eng.getGradients(b)))
    eng.dispose()
  }
  trainable.forEach((name, k) => t.same(grads[1][k], grads[0][k], `${name}: cuda = cpu`))
})

t.test('adjointPrecision: typed errors', async (t) => {
  await t.rejects(createEngine(pair, { backend: 'cpu', adjointPrecision: 'fp16' as 'float32' }), { code: 'E_BAD_ARGUMENT', field: 'options.adjointPrecision', message: /'fp16' is not float32 or bfloat16/ })
})
