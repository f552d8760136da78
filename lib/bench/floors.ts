/**
 * Physical floors of a bench workload (docs/perf-notes.md "Floors"): the time below which the engine's design
 * cannot go on an H100, from the bytes and atomics it must move at the rates measured on that card. The parts
 * that depend on each other add up:
 * - push: every spike adds its delayed out-row into the input accumulators, one scattered float atomic per
 *   synapse reached (rates of the run × out-degree of the area, plus the LGN rows of the drawn units), at the
 *   rate of atomics into an L2-resident target (v11 micro-benchmark);
 * - neuron state: per neuron, batch element and step the state kNeuron must read and write once (psc, rise and I
 *   of R receptor slots, the two ASCs, v, r, one spike byte each way: 24·R + 34 bytes) at the HBM rate;
 * - backward (training only): every delayed synapse streamed once per step, 8 bytes (post row, weight) — the
 *   history's bytes floor; the engine's 3-step passes read the stream a third as often but gather the G·B
 *   adjoints of the post row per synapse and pass from L2 (docs/perf-notes.md "Floors");
 * - latency: the dependent kernels (two per forward step, two per backward pass) at one graph node each.
 * With fused steps (Engine.info().fusedSteps: the update of step t beside the push of step t's input in one
 * kernel, docs/cuda-backend.md) the push and the state overlap (the larger counts) and a forward step is one kernel.
 * With the split push (Engine.info().splitPush: the rows of delays ≥ 2 and the LGN rows of step t beside the update
 * of step t − 1) only the rows of delay 1 stay between two updates: a step takes the larger of the whole push and
 * the delay-1 push plus the state.
 * Floors are lower bounds of this design: BKG gathers, tapes, the weight gradients and the optimizer are left out.
 */

/** HBM bandwidth (ARCHITECTURE.md §4, H100). */
export const HBM_BYTES_PER_S = 3.08e12
/** Scattered fp32 atomics into an L2-resident target (docs/perf-notes.md v11: 76.5 G/s into 10.4 MB, H100). */
export const L2_ATOMICS_PER_S = 76.5e9
/** One node of a CUDA graph (ARCHITECTURE.md §4). */
export const GRAPH_NODE_S = 0.8e-6

/** The three rates a floor is computed at, measured on one card. */
export interface CardRates {
  card: 'H100' | 'H200'
  hbmBytesPerS: number
  l2AtomicsPerS: number
  graphNodeS: number
}
/** The H100's: the card of issue 7, whose floors the bench's `floor ms` column always gives. */
export const H100_RATES: CardRates = { card: 'H100', hbmBytesPerS: HBM_BYTES_PER_S, l2AtomicsPerS: L2_ATOMICS_PER_S, graphNodeS: GRAPH_NODE_S }
/**
 * The H200's (bench/results/v29-h200/f, the same micro-benchmarks): HBM read 4.44 TB/s, scattered fp32 atomics into
 * 10.4 MB 86.8 G/s, a dependent kernel boundary in a graph with programmatic dependent launch 0.62 µs.
 */
export const H200_RATES: CardRates = { card: 'H200', hbmBytesPerS: 4.44e12, l2AtomicsPerS: 86.8e9, graphNodeS: 0.62e-6 }

/** The measured rates of a card by its device name, or null where none were measured (the CPU, other GPUs). */
export function ratesOfCard(name: string): CardRates | null {
  if (/\bH200\b/.test(name)) return H200_RATES
  if (/\bH100\b/.test(name)) return H100_RATES
  return null
}

export interface FloorArea {
  n: number
  /** Receptor slots R of the area (Engine.info()). */
  slots: number
  /** Mean firing rate of the run (Hz; 1 ms steps, so rateHz / 1000 spikes per neuron and step). */
  rateHz: number
  /** Recurrent and inter-area synapses whose source is this area. */
  delayedOut: number
  /** Of delayedOut, the synapses of delay 1 (used with the split push; default all of them). */
  delay1Out?: number
}

export interface FloorInput {
  batch: number
  steps: number
  /** Forward + backward + update (false: forward only, as F). */
  train: boolean
  areas: FloorArea[]
  /** LGN synapses and the mean spike probability of an LGN unit per step. */
  lgnSynapses: number
  lgnProbability: number
  /** Backward steps per pass over the synapses (temporal blocking). */
  stepsPerPass: number
  /** One kernel per forward step, push and neuron update side by side (Engine.info().fusedSteps); default false. */
  fusedSteps?: boolean
  /** The push of delays ≥ 2 and of the LGN beside the update of the step before (Engine.info().splitPush); default false. */
  splitPush?: boolean
  /** The card whose rates the floor is computed at; default the H100's. */
  rates?: CardRates
}

export interface Floors {
  /** The card whose rates these are (FloorInput.rates). */
  card: CardRates['card']
  /** Scattered float atomics of the forward's push per trial. */
  pushAtomics: number
  pushMs: number
  stateMs: number
  /** delayed synapses × 8 B × steps at the HBM rate; null for a forward-only workload. */
  backwardMs: number | null
  latencyMs: number
  /** The push of the rows of delay 1 alone (the part of pushMs that the split push leaves between two updates). */
  delay1PushMs: number
  /** pushMs + stateMs (fused steps: the larger of the two; split push: the larger of pushMs and delay1PushMs + stateMs)
   * + (backwardMs ?? 0) + latencyMs. */
  totalMs: number
}

/** Bytes floor of the backward stream: delayed synapses × 8 B × steps at the card's HBM rate (default the H100's). */
export function backwardFloorMs(delayedSynapses: number, steps: number, rates: CardRates = H100_RATES): number {
  return ((delayedSynapses * 8 * steps) / rates.hbmBytesPerS) * 1000
}

export function workloadFloors(w: FloorInput): Floors {
  const perStepAtomics =
    w.areas.reduce((s, a) => s + (a.rateHz / 1000) * w.batch * a.delayedOut, 0) + w.lgnSynapses * w.lgnProbability * w.batch
  const rates = w.rates ?? H100_RATES
  const pushAtomics = perStepAtomics * w.steps
  const pushMs = (pushAtomics / rates.l2AtomicsPerS) * 1000
  const delay1Atomics = w.areas.reduce((s, a) => s + (a.rateHz / 1000) * w.batch * (a.delay1Out ?? a.delayedOut), 0) * w.steps
  const delay1PushMs = (delay1Atomics / rates.l2AtomicsPerS) * 1000
  const stateBytes = w.areas.reduce((s, a) => s + a.n * w.batch * (24 * a.slots + 34), 0) * w.steps
  const stateMs = (stateBytes / rates.hbmBytesPerS) * 1000
  const backwardMs = w.train ? backwardFloorMs(w.areas.reduce((s, a) => s + a.delayedOut, 0), w.steps, rates) : null
  const kernels = (w.fusedSteps ? 1 : 2) * w.steps + (w.train ? 2 * Math.ceil(w.steps / w.stepsPerPass) : 0)
  const latencyMs = kernels * rates.graphNodeS * 1000
  const forwardMs = w.fusedSteps ? Math.max(pushMs, stateMs) : w.splitPush ? Math.max(pushMs, delay1PushMs + stateMs) : pushMs + stateMs
  return { card: rates.card, pushAtomics, pushMs, delay1PushMs, stateMs, backwardMs, latencyMs, totalMs: forwardMs + (backwardMs ?? 0) + latencyMs }
}
