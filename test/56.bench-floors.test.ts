// The physical floors of the bench (lib/bench/floors.ts): a hand-computed case, the forward-only case, and the
// F floor of docs/perf-notes.md "Floors" from the built network's numbers.
import t, { type Test } from 'tap'
import { backwardFloorMs, GRAPH_NODE_S, H100_RATES, H200_RATES, HBM_BYTES_PER_S, L2_ATOMICS_PER_S, ratesOfCard, workloadFloors } from '../lib/bench/floors.js'

const close = (t: Test, got: number, want: number, what: string) => t.ok(Math.abs(got - want) <= 1e-12 * Math.max(1, Math.abs(want)), `${what}: ${got} ≈ ${want}`)

t.test('hand-computed training workload', async (t) => {
  const f = workloadFloors({
    batch: 2, steps: 100, train: true, stepsPerPass: 3,
    areas: [
      { n: 1000, slots: 3, rateHz: 10, delayedOut: 200000 },
      { n: 100, slots: 2, rateHz: 5, delayedOut: 30000 },
    ],
    lgnSynapses: 5000, lgnProbability: 0.01,
  })
  // Per step: 0.01 spikes × 2 × 200,000 + 0.005 × 2 × 30,000 + 5,000 × 0.01 × 2 = 4,000 + 300 + 100 atomics.
  t.equal(f.pushAtomics, 440000)
  close(t, f.pushMs, (440000 / 76.5e9) * 1000, 'push')
  // Per step: 1,000 × 2 × (24·3 + 34) + 100 × 2 × (24·2 + 34) = 212,000 + 16,400 bytes.
  close(t, f.stateMs, ((228400 * 100) / 3.08e12) * 1000, 'neuron state')
  close(t, f.backwardMs!, ((230000 * 8 * 100) / 3.08e12) * 1000, 'backward stream')
  // 2 kernels per step and 2 per pass of 3 steps (34 passes).
  close(t, f.latencyMs, 268 * 0.8e-3, 'launches')
  close(t, f.totalMs, f.pushMs + f.stateMs + f.backwardMs! + f.latencyMs, 'total')
  t.equal(backwardFloorMs(230000, 100), f.backwardMs)
  t.equal(HBM_BYTES_PER_S, 3.08e12)
  t.equal(L2_ATOMICS_PER_S, 76.5e9)
  t.equal(GRAPH_NODE_S, 0.8e-6)
})

t.test('fused steps: push and state side by side, one kernel per forward step', async (t) => {
  const input = {
    batch: 1, steps: 500, train: true, stepsPerPass: 3,
    areas: [{ n: 10000, slots: 3, rateHz: 14, delayedOut: 2.53e6 }, { n: 1426, slots: 2, rateHz: 3, delayedOut: 0.4e6 }],
    lgnSynapses: 0, lgnProbability: 0,
  }
  const two = workloadFloors(input)
  const fused = workloadFloors({ ...input, fusedSteps: true })
  t.equal(fused.pushMs, two.pushMs)
  t.equal(fused.stateMs, two.stateMs)
  t.ok(fused.pushMs > fused.stateMs, 'W1-like: the push is the larger')
  // 500 kernels forward and 2 per pass of 3 steps (167 passes).
  close(t, fused.latencyMs, 834 * 0.8e-3, 'launches')
  close(t, two.latencyMs, 1334 * 0.8e-3, 'launches of two kernels a step')
  close(t, fused.totalMs, fused.pushMs + fused.backwardMs! + fused.latencyMs, 'total')
  close(t, two.totalMs - fused.totalMs, two.stateMs + 500 * 0.8e-3, 'the state and 500 launches less')
})

t.test('split push: only the rows of delay 1 between two updates', async (t) => {
  // Per step: 0.01 × 2 × 200,000 = 4,000 spike atomics from area 0, a quarter of them (50,000 of its synapses) of
  // delay 1; 0.005 × 2 × 30,000 = 300 from area 1, all of delay 1; 100 LGN atomics (pushed beside the update).
  const input = {
    batch: 2, steps: 100, train: false, stepsPerPass: 3,
    areas: [{ n: 1000, slots: 3, rateHz: 10, delayedOut: 200000, delay1Out: 50000 }, { n: 100, slots: 2, rateHz: 5, delayedOut: 30000 }],
    lgnSynapses: 5000, lgnProbability: 0.01,
  }
  const whole = workloadFloors(input)
  const split = workloadFloors({ ...input, splitPush: true })
  close(t, split.delay1PushMs, ((1300 * 100) / 76.5e9) * 1000, 'delay-1 push: 1,000 + 300 atomics a step')
  t.equal(whole.delay1PushMs, split.delay1PushMs, 'reported either way')
  t.ok(split.delay1PushMs + split.stateMs > split.pushMs, 'here the chain of delay-1 push and state is the larger')
  close(t, split.totalMs, split.delay1PushMs + split.stateMs + split.latencyMs, 'total: the chain, the rest of the push beside it')
  close(t, whole.totalMs, whole.pushMs + whole.stateMs + whole.latencyMs, 'whole push: push then state')
  // A heavier push than state: the whole push is the bound.
  const heavy = workloadFloors({ ...input, splitPush: true, areas: input.areas.map((a) => ({ ...a, rateHz: 50 * a.rateHz })) })
  t.ok(heavy.pushMs > heavy.delay1PushMs + heavy.stateMs, 'heavy push')
  close(t, heavy.totalMs, heavy.pushMs + heavy.latencyMs, 'total: the whole push')
})

t.test('forward only: no backward stream, 2 kernels per step', async (t) => {
  const f = workloadFloors({ batch: 1, steps: 10, train: false, stepsPerPass: 3, areas: [{ n: 10, slots: 1, rateHz: 0, delayedOut: 50 }], lgnSynapses: 0, lgnProbability: 0 })
  t.equal(f.backwardMs, null)
  t.equal(f.pushAtomics, 0, 'silent network, no LGN: nothing to push')
  close(t, f.stateMs, ((10 * 58 * 10) / 3.08e12) * 1000, 'state of 10 neurons with one slot')
  close(t, f.latencyMs, 20 * 0.8e-3, 'launches')
  close(t, f.totalMs, f.stateMs + f.latencyMs, 'total')
})

t.test('F on the built network: the ≈ 276 ms of docs/perf-notes.md plus its launches', async (t) => {
  // V1 100,000 (R 3, 12.5 Hz, 361 delayed synapses out per neuron), LM 30,000 (R 2, 3.0 Hz, 426 out), ≈ 0.3 M LGN
  // synapses per step; batch 10, 2,500 steps.
  const f = workloadFloors({
    batch: 10, steps: 2500, train: false, stepsPerPass: 3,
    areas: [
      { n: 100000, slots: 3, rateHz: 12.5, delayedOut: 36.1e6 },
      { n: 30000, slots: 2, rateHz: 3.0, delayedOut: 12.78e6 },
    ],
    lgnSynapses: 1.5e6, lgnProbability: 0.02,
  })
  t.ok(f.pushMs > 165 && f.pushMs < 175, `push ${f.pushMs.toFixed(1)} ms (docs: ≈ 170)`)
  t.ok(f.stateMs > 105 && f.stateMs < 107, `state ${f.stateMs.toFixed(1)} ms (docs: ≈ 106)`)
  t.ok(f.totalMs > 275 && f.totalMs < 285, `total ${f.totalMs.toFixed(1)} ms`)
})

t.test("a card's own rates: the H200's floor from its measured HBM, atomic and boundary rates", async (t) => {
  const input = {
    batch: 2, steps: 100, train: true, stepsPerPass: 3,
    areas: [{ n: 1000, slots: 3, rateHz: 10, delayedOut: 200000 }, { n: 100, slots: 2, rateHz: 5, delayedOut: 30000 }],
    lgnSynapses: 5000, lgnProbability: 0.01,
  }
  const h100 = workloadFloors(input)
  t.same(workloadFloors({ ...input, rates: H100_RATES }), h100, 'the H100 is the default')
  t.equal(h100.card, 'H100')
  const h200 = workloadFloors({ ...input, rates: H200_RATES })
  t.equal(h200.card, 'H200')
  t.equal(h200.pushAtomics, h100.pushAtomics, 'the same atomics')
  close(t, h200.pushMs, (440000 / 86.8e9) * 1000, 'push at 86.8 G/s')
  close(t, h200.stateMs, ((228400 * 100) / 4.44e12) * 1000, 'state at 4.44 TB/s')
  close(t, h200.backwardMs!, ((230000 * 8 * 100) / 4.44e12) * 1000, 'backward stream at 4.44 TB/s')
  close(t, h200.latencyMs, 268 * 0.62e-3, 'launches at 0.62 µs')
  t.equal(backwardFloorMs(230000, 100, H200_RATES), h200.backwardMs)
  t.ok(h200.totalMs < h100.totalMs, 'the faster card has the lower floor')
})

t.test('ratesOfCard: by the device name, null where nothing was measured', async (t) => {
  t.equal(ratesOfCard('NVIDIA H200'), H200_RATES)
  t.equal(ratesOfCard('NVIDIA H100 80GB HBM3'), H100_RATES)
  t.equal(ratesOfCard('NVIDIA A100-SXM4-80GB'), null)
  t.equal(ratesOfCard('cpu'), null)
  t.equal(ratesOfCard('NVIDIA H2000'), null, 'whole words only')
})
