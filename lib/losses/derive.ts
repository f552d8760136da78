/**
 * Derivation of data/targets from the copied public data (../shared/data). Run by `node data/targets/derive.mjs`
 * after `npm run build:ts`; every step is described in docs/losses.md and data/targets/SOURCES.md.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { V1lmError } from '../errors.js'
import { CELL_TYPES, cellTypeOfNeuropixelsLabel, type CellType } from './celltypes.js'
import { column, formatCell, num, parseTable } from './csv.js'
import { parseNpy } from './npy.js'
import { UNIT_COLUMNS, type Area, type FanoCurves, type Session } from './targets.js'

export const SOURCE_FILES = {
  v4: 'galvan-v1_glif_model/Neuropixels_data/OSI_DSI_neuropixels_v4.csv',
  fc: 'shixnya-v1_functional_property/functional_connectivity_2Hz.csv',
  layer: 'galvan-lm_v1_billeh_model/Neuropixels_data/misc/layer_info.csv',
  waveform: 'galvan-lm_v1_billeh_model/Neuropixels_data/misc/waveform_type.csv',
  spont: 'galvan-lm_v1_billeh_model/Neuropixels_data/misc/first_spontaneous_rate.csv',
  cre: 'galvan-lm_v1_billeh_model/Neuropixels_data/misc/cre_positive_units.npy',
  fano: (area: Area, durationMs: number, session: Session) =>
    `galvan-lm_v1_billeh_model/Synchronization_data/Fano_factor_${area}/${area}_fano_running_${durationMs}ms_${session}.npy`,
} as const

export const FANO_DURATIONS_MS = [300, 1800] as const
/** Directions of the Functional-Connectivity drifting gratings, in the order of `angular_response`. */
export const FC_DIRECTIONS_DEG = [0, 45, 90, 135] as const

type Row = Record<(typeof UNIT_COLUMNS)[number], string | number>

function read(dir: string, rel: string): string {
  try {
    return readFileSync(join(dir, rel), 'utf8')
  } catch (err) {
    throw new V1lmError('E_BAD_FILE', `cannot read ${rel} under ${dir}: ${(err as Error).message}`, rel)
  }
}

function byId(dir: string, rel: string, idColumn: string, valueColumn: string): Map<string, string> {
  const t = parseTable(read(dir, rel), ',', rel)
  const ki = column(t, idColumn, rel)
  const kv = column(t, valueColumn, rel)
  return new Map(t.rows.map((r) => [r[ki], r[kv]]))
}

/** Global OSI from responses to directions θ_k: |Σ r_k e^{2iθ_k}| / Σ r_k (NaN for a silent unit). */
export function globalOsi(rates: readonly number[], directionsDeg: readonly number[]): number {
  let re = 0
  let im = 0
  let sum = 0
  rates.forEach((r, k) => {
    const a = (2 * directionsDeg[k] * Math.PI) / 180
    re += r * Math.cos(a)
    im += r * Math.sin(a)
    sum += r
  })
  return sum > 0 ? Math.hypot(re, im) / sum : NaN
}

/** Exc/PV type of a non-opto-tagged unit from its cortical layer and waveform (the v4 table's rule). */
export function typeFromLayerWaveform(layer: string, waveform: string): CellType | null {
  const L = { '2': 'L2/3', '4': 'L4', '5': 'L5', '6': 'L6' }[layer]
  if (!L) return null
  if (waveform === 'RS') return `${L} Exc` as CellType
  if (waveform === 'FS') return `${L} PV` as CellType
  return null
}

function v1Rows(dir: string): Row[] {
  const t = parseTable(read(dir, SOURCE_FILES.v4), ' ', SOURCE_FILES.v4)
  const c = (n: string) => column(t, n, SOURCE_FILES.v4)
  const [id, ct, osi, dsi, mx, ave, sp] = ['ecephys_unit_id', 'cell_type', 'OSI', 'DSI', 'max_mean_rate(Hz)', 'Ave_Rate(Hz)', 'firing_rate_sp'].map(c)
  return t.rows.map((r) => ({
    ecephys_unit_id: r[id],
    cell_type: cellTypeOfNeuropixelsLabel(r[ct]),
    origin: 'v4',
    OSI: num(r[osi]),
    DSI: num(r[dsi]),
    max_mean_rate_hz: num(r[mx]),
    ave_rate_hz: num(r[ave]),
    firing_rate_sp_hz: num(r[sp]),
  }))
}

export interface LmDerivationReport {
  visl: number
  creTagged: number
  noLayerOrWaveform: number
  exc: number
  pv: number
  shared: number
}

function lmRows(dir: string, v1: Row[]): { rows: Row[]; report: LmDerivationReport } {
  const t = parseTable(read(dir, SOURCE_FILES.fc), ',', SOURCE_FILES.fc)
  const c = (n: string) => column(t, n, SOURCE_FILES.fc)
  const [id, st, mx, ave, ang] = ['node_id', 'structure', 'max_mean_rate(Hz)', 'Ave_Rate(Hz)', 'angular_response'].map(c)
  const layer = byId(dir, SOURCE_FILES.layer, 'ecephys_unit_id', 'cortical_layer')
  const waveform = byId(dir, SOURCE_FILES.waveform, 'ecephys_unit_id', 'waveform_type')
  const spont = byId(dir, SOURCE_FILES.spont, 'unit_id', 'firing_rate_sp')
  const creArr = parseNpy(readFileSync(join(dir, SOURCE_FILES.cre)), SOURCE_FILES.cre)
  const cre = new Set(Array.from(creArr.data, (x) => String(x)))
  const report: LmDerivationReport = { visl: 0, creTagged: 0, noLayerOrWaveform: 0, exc: 0, pv: 0, shared: 0 }
  const rows: Row[] = []
  for (const r of t.rows) {
    if (r[st] !== 'VISl') continue
    report.visl++
    const unit = r[id]
    if (cre.has(unit)) {
      report.creTagged++
      continue
    }
    const type = typeFromLayerWaveform(layer.get(unit) ?? '', waveform.get(unit) ?? '')
    if (!type) {
      report.noLayerOrWaveform++
      continue
    }
    const responses = r[ang].replace(/[[\]]/g, ' ').trim().split(/\s+/).map(Number)
    if (responses.length !== FC_DIRECTIONS_DEG.length || responses.some(Number.isNaN)) {
      throw new V1lmError('E_BAD_FILE', `${SOURCE_FILES.fc}: unit ${unit} angular_response "${r[ang]}" is not 4 rates`, SOURCE_FILES.fc)
    }
    if (type.endsWith('Exc')) report.exc++
    else report.pv++
    rows.push({
      ecephys_unit_id: unit,
      cell_type: type,
      origin: 'visl_fc',
      OSI: globalOsi(responses, FC_DIRECTIONS_DEG),
      DSI: NaN,
      max_mean_rate_hz: num(r[mx]),
      ave_rate_hz: num(r[ave]),
      firing_rate_sp_hz: num(spont.get(unit) ?? ''),
    })
  }
  // L1 Htr3a, SST and VIP: the opto-tagged / L1 units of every area, shared with V1 as the reference's
  // process_neuropixels_data keeps them for both areas.
  for (const r of v1) {
    const ct = r.cell_type as CellType
    if (ct.endsWith('Exc') || ct.endsWith('PV')) continue
    rows.push({ ...r, origin: 'v4_shared' })
    report.shared++
  }
  return { rows, report }
}

function writeUnits(file: string, rows: Row[]): void {
  const lines = [UNIT_COLUMNS.join(',')]
  const order = (r: Row) => CELL_TYPES.indexOf(r.cell_type as CellType)
  const sorted = [...rows].sort((a, b) => order(a) - order(b) || Number(a.ecephys_unit_id) - Number(b.ecephys_unit_id))
  for (const r of sorted) lines.push(UNIT_COLUMNS.map((k) => formatCell(r[k])).join(','))
  writeFileSync(file, lines.join('\n') + '\n')
}

function fanoCurves(dir: string, area: Area): FanoCurves {
  const binSizesS = Array.from({ length: 20 }, (_, k) => 10 ** (-3 + (3 * k) / 19))
  const curves = FANO_DURATIONS_MS.flatMap((durationMs) =>
    (['evoked', 'spont'] as const).map((session) => {
      const rel = SOURCE_FILES.fano(area, durationMs, session)
      const a = parseNpy(readFileSync(join(dir, rel)), rel)
      if (a.shape.length !== 2 || a.shape[1] !== binSizesS.length) throw new V1lmError('E_BAD_FILE', `${rel}: shape (${a.shape}) is not sessions × 20`, rel)
      const [S, W] = a.shape
      const sessions: (number | null)[][] = []
      for (let s = 0; s < S; s++) sessions.push(Array.from(a.data.subarray(s * W, (s + 1) * W), (x) => (Number.isNaN(x) ? null : x)))
      const mean = binSizesS.map((_, w) => {
        const vals = sessions.map((row) => row[w]).filter((x): x is number => x !== null)
        return vals.length ? vals.reduce((p, q) => p + q, 0) / vals.length : null
      })
      return { durationMs, session, sessions, mean }
    }),
  )
  return { area, binSizesS, curves }
}

export interface DerivationReport {
  unitsPerType: Record<Area, Partial<Record<CellType, number>>>
  lm: LmDerivationReport
  files: string[]
}

/** Derives every target table from `sharedDataDir` into `outDir`. */
export function deriveTargets(sharedDataDir: string, outDir: string): DerivationReport {
  mkdirSync(outDir, { recursive: true })
  const v1 = v1Rows(sharedDataDir)
  const { rows: lm, report } = lmRows(sharedDataDir, v1)
  const files = ['neuropixels_v1_units.csv', 'neuropixels_lm_units.csv', 'fano_v1.json', 'fano_lm.json']
  writeUnits(join(outDir, files[0]), v1)
  writeUnits(join(outDir, files[1]), lm)
  for (const area of ['v1', 'lm'] as const) {
    writeFileSync(join(outDir, `fano_${area}.json`), JSON.stringify(fanoCurves(sharedDataDir, area)) + '\n')
  }
  const count = (rows: Row[]) => {
    const out: Partial<Record<CellType, number>> = {}
    for (const r of rows) out[r.cell_type as CellType] = (out[r.cell_type as CellType] ?? 0) + 1
    return out
  }
  return { unitsPerType: { v1: count(v1), lm: count(lm) }, lm: report, files }
}
