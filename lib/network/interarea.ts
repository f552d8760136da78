/** V1 ↔ LM inter-area connectivity (SPEC §8). */
import fs from 'node:fs'
import { V1lmError } from '../errors.js'
import { connect, type EdgeList, type NeuronSet, type PairRule } from './connect.js'
import { DATA_DIR } from './tables.js'

/** Reference JSON format: {"v1_L2_e": {"lm_L4_e": {"amplitude": A, "sigma": σ_µm}, …}, …}. */
export type InterareaTable = Record<string, Record<string, { amplitude: number; sigma: number }>>

/** LM column radius relative to the V1 core (SPEC §0 item 2): 400/√7.0104 = 151.07 µm. */
export const LM_CORE_RADIUS = 400 / Math.sqrt(7.010391285652859)

export function loadInterareaTable(direction: 'v1_to_lm' | 'lm_to_v1', file?: string): InterareaTable {
  const url = file ?? new URL(`${direction}_connection_probabilities.json`, DATA_DIR)
  let table: InterareaTable
  try {
    table = JSON.parse(fs.readFileSync(url, 'utf8'))
  } catch (err) {
    throw new V1lmError('E_BAD_FILE', `cannot read inter-area table ${String(url)}: ${(err as Error).message}`, String(url))
  }
  validateInterareaTable(table, String(url))
  return table
}

export function validateInterareaTable(table: InterareaTable, where: string): void {
  if (typeof table !== 'object' || table === null) throw new V1lmError('E_BAD_FILE', `${where}: expected an object {source_type: {target_type: {amplitude, sigma}}}`, where)
  for (const [s, row] of Object.entries(table)) for (const [t, v] of Object.entries(row)) {
    if (!(Number.isFinite(v?.amplitude) && v.amplitude >= 0 && Number.isFinite(v?.sigma) && v.sigma > 0)) {
      throw new V1lmError('E_BAD_FILE', `${where}: ${s} → ${t} needs a finite amplitude ≥ 0 and sigma > 0 (µm)`, `${where}:${s}.${t}`)
    }
  }
}

/** SPEC §8 compute_pair_type_parameters: A ← min(A,1); E→E orientation factor with B_ratio 0.8 (target L5) or 0.5. */
export function interareaPairRule(srcKey: string, trgKey: string, amplitude: number, sigma: number): PairRule | null {
  const A = Math.min(amplitude, 1)
  if (!(A > 0)) return null
  let B1 = 1
  let G = 0
  if (!srcKey.includes('i') && !trgKey.includes('i')) {
    const ratio = trgKey.includes('5') ? 0.8 : 0.5
    B1 = 2 / (1 + ratio)
    let B2 = ratio * B1
    if (A * Math.max(B1, B2) > 1) {
      const nb = 1 / A
      if (B1 >= B2) { B2 += B1 - nb; B1 = nb } else { B1 += B2 - nb; B2 = nb }
    }
    G = (B2 - B1) / 90
  }
  return { A, sigma, B1, G, Bmax: Math.max(B1, B1 + 90 * G), nsynMin: 3, nsynMax: 9 }
}

/**
 * Edges target ← source with the source positions projected radially by `radiusRatio` (SPEC §8 geometry).
 * `laminarKeys` lists the group names; sets carry group = index into it.
 */
export function connectInterarea(
  src: NeuronSet, trg: NeuronSet, table: InterareaTable, srcArea: string, trgArea: string,
  laminarKeys: string[], radiusRatio: number, seed: number, stream: number,
): { edges: EdgeList; projected: { x: Float32Array; z: Float32Array } } {
  const L = laminarKeys.length
  const rules: (PairRule | null)[] = new Array(L * L).fill(null)
  for (const [sKey, row] of Object.entries(table)) {
    const s = laminarKeys.indexOf(sKey.slice(sKey.indexOf('_') + 1))
    if (!sKey.startsWith(`${srcArea}_`) || s < 0) throw new V1lmError('E_BAD_FILE', `inter-area table: source type ${sKey} is not ${srcArea}_<laminar key>; keys: ${laminarKeys.join(', ')}`, sKey)
    for (const [tKey, v] of Object.entries(row)) {
      const t = laminarKeys.indexOf(tKey.slice(tKey.indexOf('_') + 1))
      if (!tKey.startsWith(`${trgArea}_`) || t < 0) throw new V1lmError('E_BAD_FILE', `inter-area table: target type ${tKey} is not ${trgArea}_<laminar key>`, tKey)
      rules[s * L + t] = interareaPairRule(laminarKeys[s], laminarKeys[t], v.amplitude, v.sigma)
    }
  }
  const x = new Float32Array(src.n), z = new Float32Array(src.n)
  for (let i = 0; i < src.n; i++) { x[i] = src.x[i] * radiusRatio; z[i] = src.z[i] * radiusRatio }
  const edges = connect({ ...src, x, z }, trg, { seed, stream, rules, nSourceGroups: L, nTargetGroups: L, excludeSelf: false })
  return { edges, projected: { x, z } }
}
