/**
 * What the engine consumes and returns (docs/engine.md). A network from lib/network satisfies
 * EngineNetwork structurally; extra fields are ignored by the engine.
 */

/** GLIF3 parameters of one node type in physical units (SPEC §2.1, §7.4). */
export interface NeuronTypeParams {
  V_th: number // mV
  E_L: number // mV
  g: number // nS
  C_m: number // pF
  V_reset?: number // mV, defaults to E_L (SPEC §15.6)
  t_ref: number // ms
  k: readonly [number, number] | number[] // 1/ms, each in (0, 1)
  asc_amps: readonly [number, number] | number[] // pA
}

export interface EngineArea {
  name: string
  n: number
  types: NeuronTypeParams[]
  /** Per neuron: index into `types`. */
  nodeTypeIndex: Int32Array
}

export type BlockKind = 'recurrent' | 'interarea' | 'lgn' | 'bkg'

/** One connection block. Weights are normalized (peak PSC in units of V_th − E_L of the target, SPEC §3.4). */
export interface EngineBlock {
  name: string
  kind: BlockKind
  /** Target area index. */
  target: number
  /** Source area index (recurrent: the target; interarea: the other area); −1 for LGN and BKG. */
  source: number
  pre: Int32Array
  post: Int32Array
  /** Receptor type 0..3 (τ_syn 5.5, 8.5, 2.8, 5.8 ms). */
  receptor: Uint8Array
  /** Delay in steps 1..maxDelay (recurrent / interarea); ignored for LGN and BKG. */
  delay?: Uint8Array
  weight: Float32Array
}

export interface EngineNetwork {
  areas: EngineArea[]
  blocks: EngineBlock[]
  /** LGN units (17,400 in the full model). */
  nInputs: number
  /** Background Poisson sources per area (100, SPEC §6.3). */
  nBkgSources?: number
}

import type { BackendChoice } from '../native.js'
export type { BackendChoice }

/** Storage of dL/dI in the backward (EngineOptions.adjointPrecision). */
export type AdjointPrecision = 'float32' | 'bfloat16'

export interface EngineOptions {
  backend?: BackendChoice
  batch?: number
  /** D: common maximum delay in steps (SPEC §3.3: 5). */
  maxDelay?: number
  /** Stored weights are w / lrScale; inputs are multiplied by lrScale (SPEC §3.4). */
  lrScale?: number
  hardReset?: boolean
  /** γ of the surrogate derivative (SPEC §4). */
  dampeningFactor?: number
  /** σ of the Gaussian surrogate. */
  gaussStd?: number
  /** Gaussian surrogate instead of the triangle. */
  pseudoGauss?: boolean
  /** ρ: scales gradients flowing from synaptic currents into presynaptic spikes. */
  recurrentDampeningFactor?: number
  connectRecurrent?: boolean
  connectAreas?: boolean
  connectNoise?: boolean
  /** Seed of the Philox streams (LGN spikes, BKG counts). */
  seed?: number
  /** CPU backend threads (0 = all cores). */
  threads?: number
  /** CUDA backend: no atomics, inputs and pulls summed in the CPU's order (bit-identical to cpu; slower). */
  deterministic?: boolean
  /**
   * Backward steps whose synaptic adjoints share one pass over the synapses (temporal blocking, 1–3; default
   * 3). Gradients are identical for every value (docs/engine.md); the CUDA deterministic mode always uses 1.
   */
  backwardStepsPerPass?: number
  /**
   * Storage of dL/dI, the neuron adjoints every synapse pass reads: 'float32' (default) or 'bfloat16' (each
   * value rounded to bfloat16 to nearest even on every backend; the CUDA pull then reads half the bytes).
   */
  adjointPrecision?: AdjointPrecision
}

/** Carried state of one area (SPEC §2.3), batch-major. */
export interface AreaState {
  /** B·D·n; block k = spikes emitted k + 1 steps ago. */
  zbuf: Uint8Array
  v: Float32Array
  r: Float32Array
  /** B·2n, neuron-major. */
  asc: Float32Array
  /** B·n·R (R = receptor slots of the area, see Engine.info()). */
  rise: Float32Array
  psc: Float32Array
}

export type LgnInput =
  | { probability: Float32Array } // B·T·nInputs, spikes drawn by the engine (Philox)
  | { spikes: Uint8Array } // B·T·nInputs, explicit spike trains
  | { current: Float32Array } // B·T·nInputs, analog input 1.3·p (SPEC §3.5 current_input)

export interface BinSpec {
  start: number
  size: number
  count: number
}

/** Neuron subsets in CSR form: subset k = indices[offsets[k] .. offsets[k+1]). */
export interface Subsets {
  offsets: Int32Array
  indices: Int32Array
}

export interface ForwardRequest {
  steps: number
  /** Trial counter of the RNG streams: different trials draw different LGN spikes and BKG counts. */
  trial?: number
  lgn?: LgnInput
  /** Per area: explicit BKG counts B·T·nBkgSources, or null to let the engine draw Poisson(0.25). */
  bkgCounts?: (Float32Array | null)[]
  /** Initial state per area (e.g. a gray-screen state); zero state when absent. */
  state?: AreaState[]
  /** Binned spike counts (rates, OSI/DSI, readouts). */
  bins?: BinSpec
  /** Per area: population traces of these subsets (synchrony loss). */
  traces?: (Subsets | null)[]
  recordVoltages?: boolean | boolean[]
  /** Keep the BPTT tape (default true); false for forward-only simulation. */
  keepTape?: boolean
}

export interface AreaObservables {
  /** B·T·ceil(n/32) words; bit i%32 of word i/32 = spike of neuron i. */
  raster: Uint32Array
  /** B·bins.count·n. */
  counts: Float32Array
  /** B·K·T. */
  traces: Float32Array
  /** B·T·n, when recorded. */
  voltages?: Float32Array
  /** mean over (b, t, i) of (v − 1)² (SPEC §10.2). */
  voltageRegularizer: number
  /** Total spikes of the trial. */
  spikes: number
}

export interface ForwardResult {
  areas: AreaObservables[]
  state: AreaState[]
}

export interface AreaAdjoints {
  counts?: Float32Array
  traces?: Float32Array
  /** dL/d(voltage regularizer value). */
  voltageRegularizer?: number
}

export interface BackwardRequest {
  areas: (AreaAdjoints | null)[]
  /** Blocks whose weight gradients are computed. */
  trainable?: string[]
}

export type OptimizerAlgorithm = 'adam' | 'exp_adam' | 'sgd'

export interface UpdateRequest {
  algorithm?: OptimizerAlgorithm
  learningRate?: number
  beta1?: number
  beta2?: number
  epsilon?: number
  /** 1-based step counter of Adam's bias correction. */
  step?: number
  /** Gradients are multiplied by this first. */
  gradientScale?: number
  blocks: string[]
}

export interface EngineInfo {
  backend: 'cpu' | 'cuda'
  batch: number
  maxDelay: number
  peakDeviceBytes: number
  /** Whether the forward sums the LGN and BKG inputs of each segment of steps ahead of its steps (CUDA fast mode,
   * batches of 1–2; docs/cuda-backend.md). */
  inputsAhead: boolean
  /** Whether each forward step runs as one kernel, the neuron update beside the push of the next step's input (CUDA
   * fast mode with the inputs ahead; docs/cuda-backend.md). */
  fusedSteps: boolean
  /** Whether each forward step's push is split: the rows of delays ≥ 2 and the LGN rows run beside the neuron update
   * of the step before (CUDA fast mode, batches of 3 or more; docs/cuda-backend.md). */
  splitPush: boolean
  areas: { name: string; n: number; slots: number }[]
  blocks: { name: string; kind: BlockKind; target: number; source: number; size: number }[]
}
