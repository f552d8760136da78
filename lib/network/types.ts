/** The network object the engine consumes (SPEC §3, §7). Plain arrays, no methods. */
import type { BlockKind, EngineBlock, NeuronTypeParams as EngineNeuronTypeParams } from '../engine/types.js'

export type { BlockKind }

/** GLIF3 parameters of one node type, physical units of SPEC §7.4 (mV, nS, pF, ms, 1/ms, pA); always complete here. */
export interface NeuronTypeParams extends EngineNeuronTypeParams {
  V_reset: number
  k: [number, number]
  asc_amps: [number, number]
}

/** One area (column) of the model: neurons, their types and positions. */
export interface AreaNetwork {
  /** 'v1' | 'lm' */
  name: string
  n: number
  /** Node types present in this area (subset of the 111, in the table's order). */
  types: NeuronTypeParams[]
  /** Per neuron: index into `types`. */
  nodeTypeIndex: Int32Array
  /** µm; y = cortical depth (negative downwards), x/z horizontal (SPEC §7.1). */
  x: Float32Array
  y: Float32Array
  z: Float32Array
  /** Preferred direction in degrees [0, 360). */
  tuningAngle: Float32Array
  /** Per type: population name (e.g. 'e4Rorb'). */
  popName: string[]
  /** Per type: Allen node_type_id (specimen id). */
  nodeTypeId: Int32Array
  /** Per neuron: 1 inside the core radius (400 µm V1, 151.07 µm LM; SPEC §7.6). */
  coreMask: Uint8Array
  /** Per neuron: index of the neuron in its generated full column (the SONATA node id). */
  columnId: Int32Array
  /** SPEC §7.5 laminar classes ('L2_e', 'L5_i_Pvalb', …) → sorted neuron indices. */
  laminarIndices: Record<string, Int32Array>
  /** SPEC §7.6: readout neuron ids, nOutput rows of neuronsPerOutput (L5 e inside the core). */
  readoutNeuronIds: Int32Array[]
}


/** One trainable weight vector with its synapses, sorted by (post, pre) (SPEC §3.4). Names: 'v1.recurrent',
 * 'lm.recurrent', 'v1.lgn', 'v1.bkg', 'lm.bkg', 'v1.from_lm', 'lm.from_v1'. Delays are 0 for lgn/bkg. */
export interface ConnectionBlock extends EngineBlock {
  delay: Uint8Array
  /** Edge type per synapse (weight regularizer, random_weights shuffling). */
  edgeTypeId: Int32Array
}

export interface Network {
  areas: AreaNetwork[]
  blocks: ConnectionBlock[]
  /** LGN units feeding 'v1.lgn' (17,400). */
  nInputs: number
  /** BKG Poisson sources per area (100). */
  nBkgSources: number
  /** D: max delay in steps, common to all areas (SPEC §3.3). */
  maxDelay: number
  seed: number
  meta: Record<string, unknown>
}
