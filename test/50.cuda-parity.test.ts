// CUDA backend (issue "CUDA backend"): backend selection and E_NO_CUDA everywhere; the parity harness
// checked on the CPU reference (threads 1 vs 2 must agree bit for bit); CPU ↔ CUDA parity where a device
// exists (the full-size twin is test/gpu/parity.mjs, run on the GPU machine by scripts/gpu-run.sh).
import t from 'tap'
import { backends, loadAddon } from '../lib/native.js'
import { syntheticNetwork, lgnSpikes, lgnProbability, rasterRateHz, Rng } from '../lib/bench/synthetic.js'
import { compareTrials, compareUpdates, makeTrial, relativeError, runTrial, sameResult, type RawEngine } from '../lib/bench/parity.js'

const addon = loadAddon()
const createEngine = addon.createEngine as (net: object, options: object) => Promise<RawEngine>
const cuda = backends().cuda

t.test('synthetic network: in-degrees, Dale signs, receptors, delays, reproducible', async (t) => {
  const net = syntheticNetwork({ nV1: 300, nLm: 60, seed: 4, maxDelay: 4 })
  t.same(net.areas.map((a) => a.n), [300, 60])
  const size = Object.fromEntries(net.blocks.map((b) => [b.name, b.weight.length]))
  t.same(size, { 'v1.recurrent': 300 * 290, 'lm.recurrent': 60 * 290, lm_to_v1: 300 * 49, v1_to_lm: 60 * 232, lgn: 300 * 15, 'v1.bkg': 300 * 4, 'lm.bkg': 60 * 4 })
  for (const b of net.blocks) {
    const src = b.source === undefined ? undefined : net.areas[b.source]
    for (let s = 0; s < b.weight.length; s++) {
      if (src) {
        const inh = src.nodeTypeIndex[b.pre[s]] >= 2
        if (inh !== b.weight[s] < 0) return t.fail(`${b.name}[${s}] sign does not follow the presynaptic class`)
        if (b.receptor[s] % 2 !== (inh ? 1 : 0)) return t.fail(`${b.name}[${s}] receptor`)
        if (!b.delay || b.delay[s] < 1 || b.delay[s] > 4) return t.fail(`${b.name}[${s}] delay`)
      } else if (b.weight[s] <= 0) return t.fail(`${b.name}[${s}] input weights are excitatory`)
    }
  }
  const again = syntheticNetwork({ nV1: 300, nLm: 60, seed: 4, maxDelay: 4 })
  t.same(again.blocks[0].weight, net.blocks[0].weight, 'same seed, same network')
  t.not(syntheticNetwork({ nV1: 300, nLm: 60, seed: 5 }).blocks[0].pre[0] === net.blocks[0].pre[0] &&
    syntheticNetwork({ nV1: 300, nLm: 60, seed: 5 }).blocks[0].pre[1] === net.blocks[0].pre[1], true, 'another seed, another network')
  const p = lgnProbability(2, 3, 50, 20, 1)
  t.equal(p.length, 300)
  t.ok(p.every((x) => x >= 0 && x < 0.04))
  t.same(p.subarray(0, 50), p.subarray(250, 300), 'static stimulus')
  const s = lgnSpikes(new Float32Array(10000).fill(0.25), 2)
  const mean = s.reduce((a, x) => a + x, 0) / s.length
  t.ok(Math.abs(mean - 0.25) < 0.02, `Bernoulli mean ${mean}`)
  t.equal(rasterRateHz(Uint32Array.from([0xffffffff, 1]), 1, 2, 32), (33 / 64) * 1000)
  const r = new Rng(1)
  const u = Array.from({ length: 1000 }, () => r.uniform())
  t.ok(u.every((x) => x >= 0 && x < 1) && new Set(u).size === 1000)
})

t.test('backend selection: auto picks CUDA only where it runs; cuda elsewhere is E_NO_CUDA with the reason', async (t) => {
  const net = syntheticNetwork({ nV1: 100, nLm: 20, seed: 1 })
  const auto = await createEngine(net, { backend: 'auto' })
  t.equal(auto.info().backend, cuda.available ? 'cuda' : 'cpu')
  auto.dispose()
  await t.rejects(createEngine(net, { backend: 'gpu' }), { code: 'E_BAD_ARGUMENT', message: /cpu, cuda or auto/ })
  if (!cuda.available) await t.rejects(createEngine(net, { backend: 'cuda' }), { code: 'E_NO_CUDA', message: /CUDA backend unavailable: \w+/ })
})

t.test('parity harness on the CPU reference: 1 thread vs 2 threads agree bit for bit', async (t) => {
  const net = syntheticNetwork({ nV1: 400, nLm: 80, seed: 6, maxDelay: 3, inputWeight: 0.21 })
  const o = { backend: 'cpu', batch: 2, maxDelay: 3, seed: 5 }
  const a = await createEngine(net, { ...o, threads: 1 })
  const b = await createEngine(net, { ...o, threads: 2 })
  const trial = makeTrial(net, 2, 40, 3)
  const ra = await runTrial(a, net, trial)
  const rb = await runTrial(b, net, trial)
  t.ok(ra.forward.areas[0].spikes > 0, 'the network spikes')
  t.ok(sameResult(ra, rb), 'identical observables and gradients')
  const c = compareTrials(net, 2, 40, ra, rb)
  t.same(c, { firstSpikeMismatch: -1, voltageError: 0, flipDistance: 0, observableError: 0, gradientError: Object.fromEntries(net.blocks.map((x) => [x.name, 0])) })
  t.ok(Object.values(ra.gradients).some((g) => g.some((x) => x !== 0)), 'gradients are not all zero')
  const u = await compareUpdates(net, a, b)
  t.same(u, { weights: 0, slots: 0, signKept: true })
  // The comparison sees a difference when there is one.
  const other = await runTrial(a, net, makeTrial(net, 2, 40, 4))
  const d = compareTrials(net, 2, 40, ra, other)
  t.ok(d.firstSpikeMismatch >= 0 && d.gradientError['v1.recurrent'] > 0)
  t.ok(d.flipDistance > 1e-3, `another trial's spikes differ away from the threshold (${d.flipDistance})`)
  t.notOk(sameResult(ra, other))
  t.equal(relativeError([0, 0], [0, 3e-3]), 3e-3)
  a.dispose()
  b.dispose()
})

t.test('CPU ↔ CUDA parity (small network)', { skip: cuda.available ? false : `no CUDA: ${cuda.reason}` }, async (t) => {
  const net = syntheticNetwork({ nV1: 1750, nLm: 250, seed: 21, maxDelay: 5 })
  for (const deterministic of [false, true]) {
    const o = { batch: 2, maxDelay: 5, seed: 3 }
    const cpu = await createEngine(net, { ...o, backend: 'cpu' })
    const gpu = await createEngine(net, { ...o, backend: 'cuda', deterministic })
    const trial = makeTrial(net, 2, 120, 8)
    const rc = await runTrial(cpu, net, trial)
    const rg = await runTrial(gpu, net, trial)
    const c = compareTrials(net, 2, 120, rc, rg)
    t.ok(c.firstSpikeMismatch < 0 || c.firstSpikeMismatch >= 100, `spikes identical ≥ 100 steps (first flip ${c.firstSpikeMismatch})`)
    t.ok(c.voltageError <= 1e-5, `voltage error ${c.voltageError}`)
    if (c.firstSpikeMismatch < 0) for (const [b, e] of Object.entries(c.gradientError)) t.ok(e <= 1e-4, `${b} gradient error ${e}`)
    const u = await compareUpdates(net, cpu, gpu)
    t.ok(u.weights <= 1e-5 && u.slots <= 1e-5 && u.signKept, `optimizer ${JSON.stringify(u)}`)
    t.ok(gpu.info().peakDeviceBytes > 0)
    t.equal(gpu.info().inputsAhead, !deterministic, 'batch 2 in fast mode sums its LGN and BKG inputs ahead of the steps')
    t.equal(cpu.info().inputsAhead, false, 'the CPU sums them in the steps')
    t.equal(gpu.info().fusedSteps, !deterministic, 'and runs one kernel a step')
    t.equal(cpu.info().fusedSteps, false)
    cpu.dispose()
    gpu.dispose()
  }
})
