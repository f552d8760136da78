// CUDA ↔ CPU parity on the GPU machine (node:test, no tap; imports only node: modules and dist/).
// Run: node --test test/gpu/parity.mjs   (after `npm run build`); V1LM_PARITY_JSON=file writes the numbers.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { backends, loadAddon } from '../../dist/native.js'
import { Rng, syntheticNetwork } from '../../dist/bench/synthetic.js'
import { compareTrials, compareUpdates, makeTrial, runTrial, sameResult } from '../../dist/bench/parity.js'

const cuda = backends().cuda
const skip = cuda.available ? false : `no CUDA device: ${cuda.reason}`
const addon = loadAddon()
const report = { device: cuda.devices?.[0]?.name ?? null, cases: [] }
process.on('exit', () => {
  if (process.env.V1LM_PARITY_JSON) writeFileSync(process.env.V1LM_PARITY_JSON, JSON.stringify(report, null, 2))
})

// Random two-area networks of 2k–20k neurons, delays up to 5 (issue "CUDA backend", Parity).
const CASES = [
  { name: '2k', nV1: 1750, nLm: 250, batch: 2, maxDelay: 3, seed: 11 },
  { name: '10k', nV1: 8000, nLm: 2000, batch: 1, maxDelay: 5, seed: 12 },
  { name: '20k', nV1: 17500, nLm: 2500, batch: 2, maxDelay: 5, seed: 13 },
  // Batches of 3 or more take the pull by pieces (4 or 8 batch elements per piece set).
  { name: '3k', nV1: 2500, nLm: 500, batch: 4, maxDelay: 2, seed: 14 },
  { name: '6k', nV1: 5000, nLm: 1000, batch: 6, maxDelay: 4, seed: 15 },
  // V1 with three receptor slots, as the built networks' (the class rule gives two): the odd slot count that a warp
  // loads and stores as one span, in kNeuron (batch 4) and in the fused steps (batch 2); 2,500 and 1,750 neurons
  // leave the last warp part-filled.
  { name: '3k R3', nV1: 2500, nLm: 500, batch: 4, maxDelay: 3, seed: 16, lgnReceptor: 3 },
  { name: '2k R3', nV1: 1750, nLm: 250, batch: 2, maxDelay: 3, seed: 17, lgnReceptor: 3 },
  // Beyond 8 (dI's batch stride 16: the neuron adjoints in two grid rows, the pieces in two sets) and beyond a
  // warp's 32 lanes (the pieces' weight gradients then take the second walk over the spiking rows).
  { name: '2k b12', nV1: 1750, nLm: 250, batch: 12, maxDelay: 3, seed: 18 },
  { name: '2k b40', nV1: 1750, nLm: 250, batch: 40, maxDelay: 3, seed: 19 },
]
const LONG = 300   // steps of the spike-identity run
const SHORT = 60   // steps of the gradient run (short enough to stay spike-identical)

const engineOptions = (c) => ({ batch: c.batch, maxDelay: c.maxDelay, seed: 99, dampeningFactor: 0.5, recurrentDampeningFactor: 0.5 })
// Spikes of a forward result, all areas.
const totalSpikes = (forward) => forward.areas.reduce((x, a) => x + a.spikes, 0)
async function engines(net, c, deterministic) {
  const o = engineOptions(c)
  return [await addon.createEngine(net, { ...o, backend: 'cpu' }), await addon.createEngine(net, { ...o, backend: 'cuda', deterministic })]
}
// One trial on an engine of its own, disposed after.
async function trialOnNewEngine(net, options, trial) {
  const e = await addon.createEngine(net, options)
  const r = await runTrial(e, net, trial)
  e.dispose()
  return r
}
// A CUDA engine created with the environment variable `name` set to '0'.
async function engineWithout(name, net, options) {
  process.env[name] = '0'
  try {
    return await addon.createEngine(net, { ...options, backend: 'cuda' })
  } finally {
    delete process.env[name]
  }
}

for (const c of CASES) {
  test(`parity ${c.name}: V1 ${c.nV1} + LM ${c.nLm}, batch ${c.batch}, D ${c.maxDelay}`, { skip }, async () => {
    const net = syntheticNetwork({ nV1: c.nV1, nLm: c.nLm, maxDelay: c.maxDelay, seed: c.seed, lgnReceptor: c.lgnReceptor })
    const row = { ...c }
    report.cases.push(row)
    for (const deterministic of [false, true]) {
      const mode = deterministic ? 'deterministic' : 'fast'
      const [cpu, gpu] = await engines(net, c, deterministic)
      assert.equal(gpu.info().areas[0].slots, c.lgnReceptor === undefined ? 2 : 3, 'V1 slots')
      assert.equal(gpu.info().splitPush, !deterministic && c.batch >= 3, 'the split push: fast mode, batches ≥ 3')
      // Long run: spikes identical for ≥ 100 steps, voltages within 1e-5 before the first flip.
      const long = makeTrial(net, c.batch, LONG, c.seed)
      const rc = await runTrial(cpu, net, long)
      const rg = await runTrial(gpu, net, long)
      const cl = compareTrials(net, c.batch, LONG, rc, rg)
      // Short run: spike-identical, gradients of every block within 1e-4.
      const short = makeTrial(net, c.batch, SHORT, c.seed + 100)
      const sc = await runTrial(cpu, net, short)
      const sg = await runTrial(gpu, net, short)
      const cs = compareTrials(net, c.batch, SHORT, sc, sg)
      // Run to run on the GPU.
      const sg2 = await runTrial(gpu, net, short)
      const repeat = sameResult(sg, sg2)
      // Gradients added from outside (weight regularizer) land on both backends alike.
      const extra = net.blocks[0].weight.map((w, k) => (k % 7) * 1e-3)
      cpu.addGradients(net.blocks[0].name, extra)
      gpu.addGradients(net.blocks[0].name, extra)
      const added = Math.abs(cpu.getGradients(net.blocks[0].name)[5] - gpu.getGradients(net.blocks[0].name)[5])
      assert.ok(added <= 1e-6 + 1e-4 * Math.abs(cpu.getGradients(net.blocks[0].name)[5]), 'addGradients')
      // Optimizer updates from the (near-)identical gradients just computed.
      const upd = await compareUpdates(net, cpu, gpu)
      const spikesPerStep = totalSpikes(rc.forward) / (LONG * c.batch)
      row[mode] = {
        firstSpikeMismatch: cl.firstSpikeMismatch, voltageError: cl.voltageError, observableError: cl.observableError,
        shortFirstMismatch: cs.firstSpikeMismatch, gradientError: cs.gradientError, updateWeights: upd.weights,
        updateSlots: upd.slots, signKept: upd.signKept, repeatIdentical: repeat, spikesPerStep,
        peakDeviceBytes: gpu.info().peakDeviceBytes,
      }
      console.log(`# ${c.name} ${mode}: first spike flip ${cl.firstSpikeMismatch < 0 ? `none in ${LONG}` : `at step ${cl.firstSpikeMismatch}`}, ` +
        `voltage err ${cl.voltageError.toExponential(2)}, max grad err ${Math.max(...Object.values(cs.gradientError)).toExponential(2)}, ` +
        `update err ${upd.weights.toExponential(2)}, repeat identical ${repeat}, ${spikesPerStep.toFixed(1)} spikes/step`)
      assert.ok(cl.firstSpikeMismatch < 0 || cl.firstSpikeMismatch >= 100, `${mode}: spikes differ at step ${cl.firstSpikeMismatch} < 100`)
      assert.ok(cl.voltageError <= 1e-5, `${mode}: voltage error ${cl.voltageError}`)
      assert.equal(cs.firstSpikeMismatch, -1, `${mode}: short run not spike-identical`)
      for (const [b, e] of Object.entries(cs.gradientError)) assert.ok(e <= 1e-4, `${mode}: gradient of ${b} off by ${e}`)
      assert.ok(upd.weights <= 1e-5 && upd.slots <= 1e-5, `${mode}: optimizer differs (${upd.weights}, ${upd.slots})`)
      assert.ok(upd.signKept, 'sign projection')
      if (deterministic) {
        assert.equal(cl.firstSpikeMismatch, -1, 'deterministic mode: spikes identical over the whole run')
        assert.equal(cl.voltageError, 0, 'deterministic mode: voltages bit-identical')
        assert.ok(repeat, 'deterministic mode: identical run to run')
      }
      cpu.dispose()
      gpu.dispose()
    }
  })
}

// The pull skips the rows that would add only to pending dL/dz entries whose ∂z/∂v is zero in every batch element
// (AreaDev::live: v ≤ 0 or v ≥ 2 under the triangle surrogate, or refractory). By neuron, in groups of six: three
// start below rest (v = 0, −3, −6) and come back to the surrogate's support at staggered steps; three start at
// v = 1.5, spike, and are pulled below rest by after-spike currents of −5, −10, −15. A pass's rows then mix read
// and unread steps in both orders, so that a skipped row that was read shows as a gradient off the CPU's (two
// wrong builds, a window one step late and one of the pass's first step only, failed here: perf-notes v19). The
// share of unread pairs is counted from the voltages alone (refractory steps left out).
test('pull rows of unread pending entries are skipped: neurons held below rest', { skip }, async () => {
  for (const c of [{ nV1: 5000, nLm: 1000, batch: 6, maxDelay: 4, seed: 22 }, { nV1: 1750, nLm: 250, batch: 1, maxDelay: 5, seed: 23 },
    { nV1: 1750, nLm: 250, batch: 40, maxDelay: 3, seed: 24 }]) {
    const net = syntheticNetwork({ nV1: c.nV1, nLm: c.nLm, maxDelay: c.maxDelay, seed: c.seed })
    const trial = makeTrial(net, c.batch, SHORT, c.seed)
    for (const deterministic of [false, true]) {
      const [cpu, gpu] = await engines(net, c, deterministic)
      const { state } = await cpu.forward({ steps: 1, keepTape: false })
      for (const [a, s] of state.entries())
        for (let k = 0; k < s.v.length; k++) {
          const g = (k % net.areas[a].n) % 6
          if (g < 3) s.v[k] = -3 * g
          else s.v[k] = 1.5, s.asc[2 * k] = s.asc[2 * k + 1] = -5 * (g - 2)
        }
      const t = { ...trial, request: { ...trial.request, state } }
      const rc = await runTrial(cpu, net, t)
      const cmp = compareTrials(net, c.batch, SHORT, rc, await runTrial(gpu, net, t))
      let unread = 0, all = 0
      for (const [a, o] of rc.forward.areas.entries()) {
        const n = net.areas[a].n
        for (let step = 0; step < SHORT; step++)
          for (let i = 0; i < n; i++) {
            let read = false
            for (let b = 0; b < c.batch && !read; b++) read = Math.abs(o.voltages[(b * SHORT + step) * n + i] - 1) < 1
            all++
            if (!read) unread++
          }
      }
      const err = Math.max(...Object.values(cmp.gradientError))
      console.log(`# unread rows, batch ${c.batch}, deterministic ${deterministic}: ${(100 * unread / all).toFixed(1)} % of (step, neuron) below the surrogate in every batch element, grad err ${err.toExponential(2)}`)
      assert.ok(unread / all >= 0.2, `the case holds unread entries (${unread} of ${all})`)
      assert.equal(cmp.firstSpikeMismatch, -1, 'spike-identical')
      for (const [b, e] of Object.entries(cmp.gradientError)) {
        if (deterministic) assert.equal(e, 0, `deterministic: gradient of ${b} off by ${e}`)
        else assert.ok(e <= 2e-6, `gradient of ${b} off by ${e}`)  // the right skips: ≤ 1.9e-7; a wrong one: ≥ 6.7e-6 (v19)
      }
      cpu.dispose()
      gpu.dispose()
    }
  }
})

// The largest relative difference of two final states (every area, every field).
function stateError(a, b) {
  let e = 0
  a.forEach((s, i) => {
    for (const f of ['v', 'r', 'asc', 'rise', 'psc', 'zbuf'])
      s[f].forEach((x, k) => { e = Math.max(e, Math.abs(x - b[i][f][k]) / Math.max(1, Math.abs(x))) })
  })
  return e
}

// Batches of 1–2 sum the LGN and BKG inputs of each segment of steps (50) ahead of its steps, on a second stream
// (docs/cuda-backend.md), and run each step as one kernel (kStep: the neuron update, finishing the last step's rise,
// beside the push of the next step's input); their kernels overlap one another (programmatic dependent launches).
// Against the CPU, against the sums in the steps (V1LM_INPUTS_AHEAD=0, kPush and kNeuron not overlapped), against
// the sums ahead with kPush and kNeuron (V1LM_FUSED_STEPS=0) and against plain launches (V1LM_OVERLAP_LAUNCHES=0)
// on the same trials, each longer than two segments (the parts of the sums' buffer are reused): from rest with
// drawn LGN spikes, from that trial's final state with another trial number, with analog LGN input, and with given
// BKG counts; final states against the CPU's.
test('LGN and BKG inputs summed ahead of the steps, one kernel a step, kernels overlapped', { skip }, async () => {
  const steps = 120
  for (const c of [{ nV1: 8000, nLm: 2000, batch: 1, maxDelay: 5, seed: 31 }, { nV1: 1750, nLm: 250, batch: 2, maxDelay: 3, seed: 32 }]) {
    const net = syntheticNetwork({ nV1: c.nV1, nLm: c.nLm, maxDelay: c.maxDelay, seed: c.seed })
    const [cpu, ahead] = await engines(net, c, false)
    const inStep = await engineWithout('V1LM_INPUTS_AHEAD', net, engineOptions(c))
    const plain = await engineWithout('V1LM_OVERLAP_LAUNCHES', net, engineOptions(c))
    const unfused = await engineWithout('V1LM_FUSED_STEPS', net, engineOptions(c))
    assert.equal(ahead.info().inputsAhead, true, 'batches of 1–2 sum their inputs ahead')
    assert.equal(ahead.info().fusedSteps, true, 'and run one kernel a step')
    assert.equal(inStep.info().inputsAhead, false, 'V1LM_INPUTS_AHEAD=0 turns it off')
    assert.equal(inStep.info().fusedSteps, false, 'and the fused steps with it')
    assert.equal(unfused.info().inputsAhead && !unfused.info().fusedSteps, true, 'V1LM_FUSED_STEPS=0 turns off only the fused steps')
    const first = makeTrial(net, c.batch, steps, c.seed)
    const rc = await runTrial(cpu, net, first)
    assert.ok(rc.forward.state.some((s) => s.zbuf.some((z) => z !== 0)), 'the second trial starts with spikes in the buffer')
    const current = makeTrial(net, c.batch, steps, c.seed + 1)
    const rng = new Rng(c.seed + 2)
    const trials = [
      ['from rest', first, rc],
      ['from a state', { ...first, request: { ...first.request, trial: 8, state: rc.forward.state } }],
      ['analog LGN', { ...current, request: { ...current.request, lgn: { current: current.request.lgn.probability.map((p) => 10 * p) } } }],
      ['given BKG counts', { ...current, request: { ...current.request, bkgCounts: net.areas.map((a, i) => Float32Array.from({ length: c.batch * steps * net.nBkgSources }, () => (rng.uniform() < 0.25 ? 1 : 0))) } }],
    ]
    for (const [name, t, known] of trials) {
      const ref = known ?? await runTrial(cpu, net, t)
      const ra = await runTrial(ahead, net, t)
      const rs = await runTrial(inStep, net, t)
      const rp = await runTrial(plain, net, t)
      const ru = await runTrial(unfused, net, t)
      const spikes = totalSpikes(ra.forward) / (steps * c.batch)
      const vsCpu = compareTrials(net, c.batch, steps, ref, ra), vsStep = compareTrials(net, c.batch, steps, rs, ra)
      const vsPlain = compareTrials(net, c.batch, steps, rp, ra), vsUnfused = compareTrials(net, c.batch, steps, ru, ra)
      const stateErr = stateError(ref.forward.state, ra.forward.state)
      console.log(`# inputs ahead, batch ${c.batch}, ${name}: ${spikes.toFixed(1)} spikes/step; voltage err ${vsCpu.voltageError.toExponential(2)} ` +
        `(vs in step ${vsStep.voltageError.toExponential(2)}, vs plain launches ${vsPlain.voltageError.toExponential(2)}, ` +
        `vs kPush and kNeuron ${vsUnfused.voltageError.toExponential(2)}), final state err ${stateErr.toExponential(2)}, ` +
        `grad err ${Math.max(...Object.values(vsCpu.gradientError)).toExponential(2)}`)
      assert.ok(spikes >= 1, `${name}: the trial spikes`)
      // At ≈ 950 spikes per step (analog LGN) the float sums' order can flip a neuron at threshold late in the
      // trial (once in ten runs of this case, v20 calls h–j and v21: step 72 of 120, between two CUDA variants,
      // v21 call F): there, as in the long runs above, spikes identical up to a first flip after step 60 (v34 call d
      // places it 1.2–3.6e-7 from the threshold). Earlier, a flip passes only where the neurons that flip lie at the
      // threshold in both runs (flipDistance ≤ 1e-5), as float order puts them; wrong inputs do not (the race of the
      // sums ahead mended in v34 flipped neurons 0.07–0.52 from it).
      const identical = name === 'analog LGN' ? 60 : steps
      if (vsCpu.firstSpikeMismatch === -1) assert.ok(stateErr <= 1e-5, `${name}: final state off the CPU's by ${stateErr}`)
      for (const [other, cmp] of [['cpu', vsCpu], ['sums in the steps', vsStep], ['plain launches', vsPlain], ['kPush and kNeuron', vsUnfused]]) {
        const flip = cmp.firstSpikeMismatch
        assert.ok(flip === -1 || flip >= identical || cmp.flipDistance <= 1e-5,
          `${name}, against the ${other}: spike-identical (first flip at step ${flip}, ${cmp.flipDistance.toExponential(2)} from the threshold)`)
        if (flip >= 0) console.log(`# ${name}, against the ${other}: first flip at step ${flip}, ${cmp.flipDistance.toExponential(2)} from the threshold`)
        assert.ok(cmp.voltageError <= 1e-5, `${name}, against the ${other}: voltage error ${cmp.voltageError}`)
        assert.ok(cmp.observableError <= 1e-5, `${name}, against the ${other}: observables off by ${cmp.observableError}`)
        if (flip === -1)  // the gradients of a trial whose spikes differ differ
          for (const [b, e] of Object.entries(cmp.gradientError)) assert.ok(e <= 1e-4, `${name}, against the ${other}: gradient of ${b} off by ${e}`)
      }
    }
    for (const e of [cpu, ahead, inStep, plain, unfused]) e.dispose()
  }
})

// Batches of 3 or more push the rows of delays ≥ 2 and the LGN rows beside the update of the step before, into the
// other of two input accumulators (docs/cuda-backend.md "Split push"). Against the whole push of V1LM_SPLIT_PUSH=0 and
// the CPU, from rest and from the state the first trial left (both accumulators must have been left clear).
test('split push: against the whole push and the CPU, from rest and from a state', { skip }, async () => {
  const c = { nV1: 2500, nLm: 500, batch: 4, maxDelay: 4, seed: 33 }
  const steps = 120
  const net = syntheticNetwork({ nV1: c.nV1, nLm: c.nLm, maxDelay: c.maxDelay, seed: c.seed, lgnReceptor: 3 })
  const [cpu, split] = await engines(net, c, false)
  const whole = await engineWithout('V1LM_SPLIT_PUSH', net, engineOptions(c))
  assert.equal(split.info().splitPush, true, 'batch 4 splits its push')
  assert.equal(whole.info().splitPush, false, 'V1LM_SPLIT_PUSH=0 turns it off')
  const first = makeTrial(net, c.batch, steps, c.seed)
  const rc = await runTrial(cpu, net, first)
  const second = { ...first, request: { ...first.request, trial: 8, state: rc.forward.state } }
  for (const [name, t, known] of [['from rest', first, rc], ['from a state', second]]) {
    const ref = known ?? await runTrial(cpu, net, t)
    const rs = await runTrial(split, net, t)
    const rw = await runTrial(whole, net, t)
    const vsCpu = compareTrials(net, c.batch, steps, ref, rs), vsWhole = compareTrials(net, c.batch, steps, rw, rs)
    console.log(`# split push, ${name}: ${(totalSpikes(rs.forward) / (steps * c.batch)).toFixed(1)} spikes/step; voltage err ` +
      `${vsCpu.voltageError.toExponential(2)} (vs the whole push ${vsWhole.voltageError.toExponential(2)}), ` +
      `grad err ${Math.max(...Object.values(vsCpu.gradientError)).toExponential(2)}`)
    for (const [other, cmp] of [['cpu', vsCpu], ['whole push', vsWhole]]) {
      assert.equal(cmp.firstSpikeMismatch, -1, `${name}, against the ${other}: spike-identical`)
      assert.ok(cmp.voltageError <= 1e-5, `${name}, against the ${other}: voltage error ${cmp.voltageError}`)
      for (const [b, e] of Object.entries(cmp.gradientError)) assert.ok(e <= 1e-4, `${name}, against the ${other}: gradient of ${b} off by ${e}`)
    }
  }
  for (const e of [cpu, split, whole]) e.dispose()
})

// The fused steps finish a step's rise in the next step's kernel, and the last one's after the last step (kFinishRise):
// a run cut into calls of 1, 2, 49, 50, 51 and 1 steps, each from the state the call before returned, ends in the
// CPU's state after every call.
test('fused steps: the state carried across calls of any length', { skip }, async () => {
  const c = { nV1: 1750, nLm: 250, batch: 2, maxDelay: 3, seed: 33 }
  const net = syntheticNetwork({ nV1: c.nV1, nLm: c.nLm, maxDelay: c.maxDelay, seed: c.seed })
  const [cpu, gpu] = await engines(net, c, false)
  assert.equal(gpu.info().fusedSteps, true)
  let sc, sg
  for (const [k, steps] of [1, 2, 49, 50, 51, 1].entries()) {
    const t = makeTrial(net, c.batch, steps, c.seed + k)
    const fc = await cpu.forward({ ...t.request, trial: k, state: sc })
    const fg = await gpu.forward({ ...t.request, trial: k, state: sg })
    const err = stateError(fc.state, fg.state)
    console.log(`# fused steps, call of ${steps} steps: final state err ${err.toExponential(2)}`)
    assert.ok(err <= 1e-5, `call ${k} (${steps} steps): final state off the CPU's by ${err}`)
    sc = fc.state, sg = fg.state
  }
  cpu.dispose()
  gpu.dispose()
})

// The CUDA backend checks the LGN probabilities' range while it stages them, chunk by chunk (docs/cuda-backend.md),
// instead of before the forward: a value outside [0, 1] in any chunk fails the call with the CPU's error, naming
// the first such value of the whole input, also when a later chunk holds it (batch element 0 comes first).
test('LGN probabilities outside [0, 1] named as on the CPU, from any chunk', { skip }, async () => {
  const c = { nV1: 1750, nLm: 250, batch: 2, maxDelay: 3, seed: 33 }
  const net = syntheticNetwork({ nV1: c.nV1, nLm: c.nLm, maxDelay: c.maxDelay, seed: c.seed })
  const steps = 120, nIn = net.nInputs
  const [cpu, gpu] = await engines(net, c, false)
  const good = makeTrial(net, c.batch, steps, c.seed).request.lgn.probability
  const before = totalSpikes(await gpu.forward({ steps, trial: 1, lgn: { probability: good } }))
  const at = (b, t, u) => (b * steps + t) * nIn + u
  const cases = [
    [[at(0, 0, 0), -0.5]],
    [[at(1, steps - 1, nIn - 1), 1.5]],
    [[at(0, 70, 9), Number.NaN]],
    [[at(1, 3, 2), 2], [at(0, 100, 5), -1]],  // the first staged chunk holds the later index
  ]
  for (const bad of cases) {
    const p = Float32Array.from(good)
    for (const [k, x] of bad) p[k] = x
    const first = Math.min(...bad.map(([k]) => k))
    for (const [name, e] of [['cpu', cpu], ['cuda', gpu]])
      await assert.rejects(e.forward({ steps, trial: 1, lgn: { probability: p } }), { code: 'E_BAD_ARGUMENT', field: `lgn.probability[${first}]` }, `${name}: ${JSON.stringify(bad)}`)
  }
  const after = totalSpikes(await gpu.forward({ steps, trial: 1, lgn: { probability: good } }))
  assert.ok(after > 0 && Math.abs(after - before) <= 0.01 * before, `a valid call after the rejected ones: ${after} spikes, ${before} before them`)
  cpu.dispose()
  gpu.dispose()
})

// adjointPrecision 'bfloat16' (issue 7): the CUDA kernels store dL/dI as bfloat16 and round as the CPU does, so
// the deterministic mode matches the CPU's bfloat16 gradients bit for bit; the fast mode sums in another
// order before rounding, which moves an adjoint by one bfloat16 step now and then.
for (const c of CASES.filter((x) => ['2k', '10k', '6k'].includes(x.name))) {
  test(`bfloat16 adjoints ${c.name}: batch ${c.batch}`, { skip }, async () => {
    const net = syntheticNetwork({ nV1: c.nV1, nLm: c.nLm, maxDelay: c.maxDelay, seed: c.seed })
    const short = makeTrial(net, c.batch, SHORT, c.seed + 100)
    const run = (options) => trialOnNewEngine(net, { ...engineOptions(c), ...options }, short)
    const cpu32 = await run({ backend: 'cpu' })
    const cpu16 = await run({ backend: 'cpu', adjointPrecision: 'bfloat16' })
    const fast = compareTrials(net, c.batch, SHORT, cpu16, await run({ backend: 'cuda', adjointPrecision: 'bfloat16' }))
    const det = compareTrials(net, c.batch, SHORT, cpu16, await run({ backend: 'cuda', deterministic: true, adjointPrecision: 'bfloat16' }))
    const rounding = Math.max(...Object.values(compareTrials(net, c.batch, SHORT, cpu32, cpu16).gradientError))
    const fastErr = Math.max(...Object.values(fast.gradientError)), detErr = Math.max(...Object.values(det.gradientError))
    report.cases.push({ name: `${c.name} bfloat16`, bfloat16VsFloat32: rounding, fastGradientError: fastErr, deterministicGradientError: detErr })
    console.log(`# ${c.name} bfloat16: cpu bf16 vs f32 grad err ${rounding.toExponential(2)}, cuda fast ${fastErr.toExponential(2)}, deterministic ${detErr.toExponential(2)}`)
    assert.ok(rounding > 0, 'bfloat16 changes the cpu gradients')
    assert.equal(fast.firstSpikeMismatch, -1, 'fast: spike-identical')
    assert.ok(fastErr <= 1e-3 && fastErr < rounding / 4, `fast: gradient error ${fastErr} (bfloat16 rounding moves ${rounding})`)
    assert.equal(det.firstSpikeMismatch, -1, 'deterministic: spike-identical')
    assert.equal(detErr, 0, 'deterministic: bfloat16 gradients identical to the cpu')
  })
}

// The LGN weight gradients are walked in chunks of 128 of the block's synapses, 4 consecutive per lane
// (docs/cuda-backend.md), each lane drawing its units' inputs itself. With 40 LGN units a unit's row holds ≈ 660
// synapses, so it spans many lanes and warps and shares a lane's four with the next unit; 1,751 V1 neurons × 15
// leave a tail of one synapse. Batch 1 and 2 run the overlapped kernels, batch 6 the others; the deterministic mode
// adds each synapse's terms in the CPU's order, so its LGN gradients are the CPU's bit for bit.
test('LGN weight gradients of rows of hundreds of synapses', { skip }, async () => {
  const net = syntheticNetwork({ nV1: 1751, nLm: 250, maxDelay: 3, seed: 21, nInputs: 40 })
  const lgn = net.blocks.find((b) => b.kind === 'lgn')
  assert.equal(lgn.weight.length % 4, 1)
  for (const batch of [1, 2, 6]) {
    const trial = makeTrial(net, batch, SHORT, 21)
    const run = (options) => trialOnNewEngine(net, { ...engineOptions({ batch, maxDelay: 3 }), ...options }, trial)
    const cpu = await run({ backend: 'cpu' })
    const fast = compareTrials(net, batch, SHORT, cpu, await run({ backend: 'cuda' }))
    const det = compareTrials(net, batch, SHORT, cpu, await run({ backend: 'cuda', deterministic: true }))
    const g = cpu.gradients[lgn.name]
    const nonzero = g.filter((x) => x !== 0).length / g.length
    console.log(`# LGN rows of ≈ 660 synapses, batch ${batch}: ${(100 * nonzero).toFixed(0)} % of the LGN gradients not zero; ` +
      `error fast ${fast.gradientError[lgn.name].toExponential(2)}, deterministic ${det.gradientError[lgn.name].toExponential(2)}`)
    assert.ok(nonzero > 0.3, `LGN gradients mostly zero (${nonzero})`)
    assert.equal(fast.firstSpikeMismatch, -1, 'fast: spike-identical')
    assert.ok(fast.gradientError[lgn.name] <= 1e-5, `fast: LGN gradient off by ${fast.gradientError[lgn.name]}`)
    assert.equal(det.firstSpikeMismatch, -1, 'deterministic: spike-identical')
    assert.equal(det.gradientError[lgn.name], 0, 'deterministic: LGN gradients identical to the cpu')
  }
})

// The fast pull reads its own packed copy of the delayed blocks (pull rows, docs/cuda-backend.md): the copy
// must follow weights moved between backwards (setWeights here, the optimizer in training) and leave out
// blocks switched off by the options (connectAreas: false), on both pull paths (batch 6: pieces; batch 2:
// half-warp rows).
test('pull rows follow moved weights and inactive blocks', { skip }, async () => {
  for (const c of [{ nV1: 5000, nLm: 1000, batch: 6, maxDelay: 4, seed: 16 }, { nV1: 1750, nLm: 250, batch: 2, maxDelay: 3, seed: 17 }]) {
    for (const connectAreas of [true, false]) {
      const net = syntheticNetwork({ nV1: c.nV1, nLm: c.nLm, maxDelay: c.maxDelay, seed: c.seed })
      const o = { batch: c.batch, maxDelay: c.maxDelay, seed: 99, dampeningFactor: 0.5, recurrentDampeningFactor: 0.5, connectAreas }
      const cpu = await addon.createEngine(net, { ...o, backend: 'cpu' })
      const gpu = await addon.createEngine(net, { ...o, backend: 'cuda' })
      const first = makeTrial(net, c.batch, SHORT, c.seed)
      await runTrial(cpu, net, first)
      await runTrial(gpu, net, first)  // builds the pull rows from the initial weights
      for (const b of net.blocks.filter((x) => x.kind === 'recurrent' || x.kind === 'interarea')) {
        const w = cpu.getWeights(b.name).map((x, k) => x * (k % 3 === 0 ? 0.5 : 1.25))
        cpu.setWeights(b.name, w)
        gpu.setWeights(b.name, w)
      }
      const second = makeTrial(net, c.batch, SHORT, c.seed + 1)
      const cmp = compareTrials(net, c.batch, SHORT, await runTrial(cpu, net, second), await runTrial(gpu, net, second))
      const err = Math.max(...Object.values(cmp.gradientError))
      console.log(`# pull rows, batch ${c.batch}, connectAreas ${connectAreas}: grad err after setWeights ${err.toExponential(2)}`)
      assert.equal(cmp.firstSpikeMismatch, -1, 'spike-identical after setWeights')
      for (const [b, e] of Object.entries(cmp.gradientError)) assert.ok(e <= 1e-4, `gradient of ${b} off by ${e} after setWeights`)
      cpu.dispose()
      gpu.dispose()
    }
  }
})

// The step graphs replay their segments from call to call; the trial number (the Philox key of the LGN spikes
// and BKG counts) reaches them from device memory. Trials 7, 8, 7 on one engine pair: each as the CPU's, bit
// for bit in deterministic mode, spike for spike in fast mode.
test('trial numbers reach the replayed step graphs', { skip }, async () => {
  const c = { nV1: 1750, nLm: 250, batch: 2, maxDelay: 3, seed: 21 }
  const net = syntheticNetwork({ nV1: c.nV1, nLm: c.nLm, maxDelay: c.maxDelay, seed: c.seed })
  for (const deterministic of [true, false]) {
    const [cpu, gpu] = await engines(net, c, deterministic)
    const base = makeTrial(net, c.batch, SHORT, c.seed)
    for (const trial of [7, 8, 7]) {
      const t = { ...base, request: { ...base.request, trial } }
      const cmp = compareTrials(net, c.batch, SHORT, await runTrial(cpu, net, t), await runTrial(gpu, net, t))
      assert.equal(cmp.firstSpikeMismatch, -1, `trial ${trial}, deterministic ${deterministic}: spikes differ at step ${cmp.firstSpikeMismatch}`)
      if (deterministic) assert.equal(cmp.voltageError, 0, `trial ${trial}: voltages differ`)
    }
    cpu.dispose()
    gpu.dispose()
  }
})

test('E_BAD_ARGUMENT and E_OUT_OF_MEMORY surface as typed errors', { skip }, async () => {
  const net = syntheticNetwork({ nV1: 500, nLm: 100, seed: 5 })
  const gpu = await addon.createEngine(net, { backend: 'cuda', batch: 1 })
  await assert.rejects(gpu.forward({ steps: 0 }), (e) => e.code === 'E_BAD_ARGUMENT')
  // 2^31 steps of tape cannot fit: the error names the bytes asked and free.
  await assert.rejects(gpu.forward({ steps: 2 ** 30, keepTape: true }), (e) => e.code === 'E_OUT_OF_MEMORY' && /asked \d+ bytes, \d+ free/.test(e.message))
  gpu.dispose()
})
