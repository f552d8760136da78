/** The 17 model cell types and the mapping from pop_name and from Neuropixels labels (SPEC §7.5). */
import { V1lmError } from '../errors.js'

/** In alphabetical order, which is also the reference's type order for the OSI loss (pandas groupby). */
export const CELL_TYPES = [
  'L1 Htr3a',
  'L2/3 Exc', 'L2/3 Htr3a', 'L2/3 PV', 'L2/3 SST',
  'L4 Exc', 'L4 Htr3a', 'L4 PV', 'L4 SST',
  'L5 Exc', 'L5 Htr3a', 'L5 PV', 'L5 SST',
  'L6 Exc', 'L6 Htr3a', 'L6 PV', 'L6 SST',
] as const
export type CellType = (typeof CELL_TYPES)[number]

/**
 * pop_name (e.g. "e4Rorb", "i23Pvalb", "i1Htr3a") → cell type. Layer = 2nd character ("2" → L2/3, "1" → L1 Htr3a),
 * class suffix Pvalb → PV, Sst → SST, Vip/Htr3a → Htr3a, otherwise Exc (SPEC §7.5).
 */
export function cellTypeOfPopName(popName: string): CellType {
  const layerChar = popName.charAt(1)
  const ei = popName.charAt(0)
  if ((ei !== 'e' && ei !== 'i') || !'12456'.includes(layerChar) || layerChar === '') {
    throw new V1lmError('E_BAD_NETWORK', `pop_name "${popName}" is not a Billeh population name (e/i + layer 1,2/3,4,5,6 + class)`, 'pop_name')
  }
  if (layerChar === '1') return 'L1 Htr3a'
  const layer = layerChar === '2' ? 'L2/3' : `L${layerChar}`
  let cls = 'Exc'
  if (ei === 'i') {
    if (popName.includes('Pvalb')) cls = 'PV'
    else if (popName.includes('Sst')) cls = 'SST'
    else if (popName.includes('Htr3a') || popName.includes('Vip')) cls = 'Htr3a'
    else throw new V1lmError('E_BAD_NETWORK', `inhibitory pop_name "${popName}" has no Pvalb/Sst/Htr3a/Vip class`, 'pop_name')
  }
  return `${layer} ${cls}` as CellType
}

/** Per-neuron pop_name → per-neuron index into CELL_TYPES (Int8Array). */
export function cellTypeIndices(popNames: readonly string[]): Int8Array {
  const cache = new Map<string, number>()
  const out = new Int8Array(popNames.length)
  for (let i = 0; i < popNames.length; i++) {
    const p = popNames[i]
    let k = cache.get(p)
    if (k === undefined) {
      k = CELL_TYPES.indexOf(cellTypeOfPopName(p))
      cache.set(p, k)
    }
    out[i] = k
  }
  return out
}

/** Neuropixels labels ("L2/3 VIP", "EXC_L23", "ALL_L1", ...) → model cell type (VIP → Htr3a). */
export function cellTypeOfNeuropixelsLabel(label: string): CellType {
  let m = /^(L1|L2\/3|L4|L5|L6) (Exc|PV|SST|VIP|Htr3a)$/.exec(label)
  if (m) return (m[1] === 'L1' ? 'L1 Htr3a' : `${m[1]} ${m[2] === 'VIP' ? 'Htr3a' : m[2]}`) as CellType
  m = /^(EXC|PV|SST|VIP|ALL)_L(1|23|4|5|6)$/.exec(label)
  if (m) {
    if (m[2] === '1') return 'L1 Htr3a'
    const cls = { EXC: 'Exc', PV: 'PV', SST: 'SST', VIP: 'Htr3a', ALL: '' }[m[1]]
    if (cls) return `${m[2] === '23' ? 'L2/3' : 'L' + m[2]} ${cls}` as CellType
  }
  throw new V1lmError('E_BAD_FILE', `unknown Neuropixels cell type label "${label}"`, 'cell_type')
}

/** Excitatory = pop_name starting with "e" (sampling pool of the synchrony loss, SPEC §10.5). */
export function isExcitatoryPopName(popName: string): boolean {
  return popName.charAt(0) === 'e'
}
