// Hand-computed cases of SPEC §2–§3: the alpha PSC, the d + 2 latency, refractoriness, the reset.
import t from 'tap'
import { createEngine, spikeAt } from '../lib/engine/index.js'
import { pair, quiet } from './helpers/fixtures.js'

const TAU = [5.5, 8.5, 2.8, 5.8]
/** LGN spike train for one unit with spikes at the given steps. */
function train(T: number, at: number[]): Uint8Array {
  const x = new Uint8Array(T)
  for (const s of at) x[s] = 1
  return x
}

t.test('an alpha PSC of weight w peaks at w, τ steps after it starts (SPEC §3.1)', async (t) => {
  for (const receptor of [0, 1, 2, 3]) {
    const w = 0.75
    const eng = await createEngine(pair(w, receptor, 1), { backend: 'cpu', connectNoise: false })
    // Start from a state in which the driver spiked one step before step 0: with delay 1 its synapse
    // delivers w at step 0, so the psc after step m is w·(m/τ)·e^(1 − m/τ) (SPEC §3.1).
    const state = (await eng.forward({ steps: 1 })).state
    state[0].zbuf.fill(0)
    state[0].zbuf[0] = 1
    const R = eng.info().areas[0].slots
    t.equal(eng.info().inputsAhead, false, 'the CPU sums the LGN and BKG inputs in the steps')
    t.equal(eng.info().fusedSteps, false, 'and runs its steps phase by phase')
    t.equal(eng.info().splitPush, false, 'and pushes each step\'s input in one piece')
    const psc: number[] = []
    for (let m = 0; m < 30; m++) {
      const q = await eng.forward({ steps: m + 1, state })
      psc.push(q.state[0].psc[1 * R + 0])
    }
    const tau = TAU[receptor]
    const peak = psc.indexOf(Math.max(...psc))
    t.equal(psc[0], 0, `receptor ${receptor}: psc is 0 in the step the input arrives`)
    t.ok(Math.abs(peak - tau) <= 0.5 + 1e-9, `receptor ${receptor}: peak at lag ${peak} ≈ τ = ${tau}`)
    for (const m of [1, 3, peak, 20])
      t.ok(Math.abs(psc[m] - w * (m / tau) * Math.exp(1 - m / tau)) < 1e-6, `receptor ${receptor}: psc(${m}) = w·(m/τ)e^(1−m/τ)`)
    t.ok(psc[peak] > 0.99 * w && psc[peak] <= w, `receptor ${receptor}: peak ${psc[peak].toFixed(4)} ≈ w`)
    eng.dispose()
  }
})

t.test('a presynaptic spike at s first changes the postsynaptic voltage and spike at s + d + 2 (SPEC §3.3)', async (t) => {
  for (const d of [1, 2, 3, 5]) {
    const T = 20
    const eng = await createEngine(pair(500, 0, d), { backend: 'cpu', connectNoise: false })
    const r = await eng.forward({ steps: T, lgn: { spikes: train(T, [0]) }, recordVoltages: true })
    const spikes0 = [...Array(T).keys()].filter((s) => spikeAt(r.areas[0].raster, 2, T, 0, s, 0))
    const spikes1 = [...Array(T).keys()].filter((s) => spikeAt(r.areas[0].raster, 2, T, 0, s, 1))
    const s = spikes0[0]
    const v1 = (step: number) => r.areas[0].voltages![step * 2 + 1]
    const firstChange = [...Array(T).keys()].find((step) => v1(step) !== 0)
    t.equal(firstChange, s + d + 2, `d = ${d}: voltage first moves at s + d + 2`)
    t.equal(spikes1[0], s + d + 2, `d = ${d}: a strong synapse makes the target spike at s + d + 2`)
    eng.dispose()
  }
})

t.test('refractory period blocks ceil(t_ref/dt) − 1 steps (SPEC §2.4)', async (t) => {
  for (const [tRef, blocked] of [[2.2, 2], [3, 2], [3.5, 3], [1, 0], [5.2, 5]] as const) {
    const T = 30
    const eng = await createEngine(pair(0, 0, 1, tRef), { backend: 'cpu', connectNoise: false })
    // Constant overwhelming drive: the driver spikes whenever it is allowed to.
    const r = await eng.forward({ steps: T, lgn: { spikes: new Uint8Array(T).fill(1) } })
    const spikes = [...Array(T).keys()].filter((s) => spikeAt(r.areas[0].raster, 2, T, 0, s, 0))
    const gaps = spikes.slice(1).map((s, k) => s - spikes[k] - 1)
    t.ok(spikes.length > 3, `t_ref ${tRef}: driver spikes repeatedly`)
    t.same(new Set(gaps), new Set([blocked]), `t_ref ${tRef}: ${blocked} blocked steps between spikes`)
    eng.dispose()
  }
})

t.test('the reset subtracts exactly 1, one step after the spike (SPEC §2.4 step 6)', async (t) => {
  const net = pair(0, 0, 1, 0.5)
  const eng = await createEngine(net, { backend: 'cpu', connectNoise: false })
  const state = (await eng.forward({ steps: 1 })).state
  state[0].v[0] = 1.5 // above threshold: the neuron spikes at step 0
  const r = await eng.forward({ steps: 3, state, recordVoltages: true })
  const decay = Math.fround(Math.exp(-1 / (quiet.C_m / quiet.g)))
  const v = (s: number) => r.areas[0].voltages![s * 2]
  t.equal(v(0), Math.fround(decay * 1.5), 'step 0: v = decay·v0')
  t.ok(spikeAt(r.areas[0].raster, 2, 3, 0, 0, 0), 'spike at step 0')
  t.equal(v(1), Math.fround(Math.fround(decay * v(0)) - 1), 'step 1: v = decay·v − 1')
  t.equal(v(2), Math.fround(decay * v(1)), 'step 2: no second reset')
})

t.test('BKG and LGN drive the engine as configured; toggles disconnect blocks', async (t) => {
  const net = pair(0, 0, 1)
  net.blocks.push({ name: 'bkg', kind: 'bkg', target: 0, source: -1, pre: Int32Array.of(0, 1, 2, 3), post: Int32Array.of(1, 1, 1, 1), receptor: new Uint8Array(4), weight: new Float32Array(4).fill(2) })
  const on = await createEngine(net, { backend: 'cpu', seed: 11 })
  const off = await createEngine(net, { backend: 'cpu', seed: 11, connectNoise: false })
  const T = 200
  const a = await on.forward({ steps: T, recordVoltages: true })
  const b = await off.forward({ steps: T, recordVoltages: true })
  let sa = 0, sb = 0
  for (let s = 0; s < T; s++) {
    sa += Math.abs(a.areas[0].voltages![s * 2 + 1])
    sb += Math.abs(b.areas[0].voltages![s * 2 + 1])
  }
  t.ok(sa > 0, 'BKG input moves the voltage')
  t.equal(sb, 0, 'connectNoise: false removes it')
})
