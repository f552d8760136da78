/** Weight regularizer `StiffRegularizer` with penalize_relative_change (SPEC §10.3). */
import { V1lmError } from '../errors.js'
import type { LossResult } from './observables.js'

/** Floor of |μ_e0| in the relative change. */
export const RELATIVE_FLOOR = 1e-4

export interface EdgeTypeGroups {
  /** Sorted unique edge-type ids (np.unique order). */
  edgeTypes: Int32Array
  /** Per synapse: index into edgeTypes. */
  group: Int32Array
  /** Synapses per group. */
  size: Float64Array
}

export function groupEdgeTypes(edgeTypeIds: Int32Array): EdgeTypeGroups {
  const unique = Int32Array.from(new Set(edgeTypeIds)).sort()
  const slot = new Map<number, number>()
  unique.forEach((e, k) => slot.set(e, k))
  const group = new Int32Array(edgeTypeIds.length)
  const size = new Float64Array(unique.length)
  for (let i = 0; i < edgeTypeIds.length; i++) {
    const k = slot.get(edgeTypeIds[i]) as number
    group[i] = k
    size[k]++
  }
  return { edgeTypes: unique, group, size }
}

/** Per-group mean of a weight vector (float64 sums). */
export function edgeTypeMeans(weights: Float32Array, groups: EdgeTypeGroups): Float64Array {
  if (weights.length !== groups.group.length) throw new V1lmError('E_BAD_ARGUMENT', `${weights.length} weights for ${groups.group.length} edge-type ids`, 'weights')
  const sums = new Float64Array(groups.size.length)
  for (let i = 0; i < weights.length; i++) sums[groups.group[i]] += weights[i]
  for (let k = 0; k < sums.length; k++) sums[k] /= groups.size[k]
  return sums
}

export interface WeightRegularizer {
  groups: EdgeTypeGroups
  /** μ_e0 per group: mean initial weight (in the units of the trained variable). */
  initialMeans: Float64Array
  /** `recurrent_weight_regularization`. */
  strength: number
}

/** Builds the regularizer from the initial weights of one recurrent block and their edge-type ids. */
export function buildWeightRegularizer(initialWeights: Float32Array, edgeTypeIds: Int32Array, strength: number): WeightRegularizer {
  const groups = groupEdgeTypes(edgeTypeIds)
  return { groups, initialMeans: edgeTypeMeans(initialWeights, groups), strength }
}

/**
 * L = strength · sqrt(mean_e ((μ_e − μ_e0)/max(|μ_e0|, 1e-4))²); dL/dw_i = dL/dμ_{e(i)} / |e(i)|.
 * At L = 0 the gradient is set to 0 (the reference's sqrt gradient is undefined there).
 */
/** Adjoint: dL/dw per synapse. */
export function weightRegularizerLoss(weights: Float32Array, reg: WeightRegularizer): LossResult {
  const mu = edgeTypeMeans(weights, reg.groups)
  const E = mu.length
  const rel = new Float64Array(E)
  let ms = 0
  for (let e = 0; e < E; e++) {
    rel[e] = (mu[e] - reg.initialMeans[e]) / Math.max(Math.abs(reg.initialMeans[e]), RELATIVE_FLOOR)
    ms += rel[e] * rel[e]
  }
  ms = E > 0 ? ms / E : 0
  const root = Math.sqrt(ms)
  const gradient = new Float32Array(weights.length)
  if (root > 0 && reg.strength !== 0) {
    const gMu = new Float64Array(E)
    for (let e = 0; e < E; e++) {
      gMu[e] = (reg.strength * rel[e]) / (E * root * Math.max(Math.abs(reg.initialMeans[e]), RELATIVE_FLOOR) * reg.groups.size[e])
    }
    for (let i = 0; i < weights.length; i++) gradient[i] = gMu[reg.groups.group[i]]
  }
  return { value: reg.strength * root, adjoint: gradient }
}
