/**
 * The 17,400 LGN filter units of the reference (SPEC §6.1), in the reference's 240×120-degree screen frame.
 * Loaded from data/lgn/ (see data/lgn/SOURCES.md for the derivation), as one array per column.
 */
import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { V1lmError } from '../errors.js'

/** The 14 LGN cell classes, in the order of the table (SPEC §6.1). */
export const LGN_MODEL_IDS = [
  'sON_TF1', 'sON_TF2', 'sON_TF4', 'sON_TF8',
  'sOFF_TF1', 'sOFF_TF2', 'sOFF_TF4', 'sOFF_TF8', 'sOFF_TF15',
  'tOFF_TF4', 'tOFF_TF8', 'tOFF_TF15',
  'sONsOFF_001', 'sONtOFF_001',
] as const
export type LgnModelId = (typeof LGN_MODEL_IDS)[number]

/** Screen of the reference: 240 columns (azimuth x) × 120 rows (elevation y), 1 px per degree. */
export const LGN_SCREEN = { rows: 120, cols: 240 } as const

/**
 * Column arrays over the units (index = LGN unit id). Two-parameter columns are interleaved
 * ([u*2] = `_0`, [u*2+1] = `_1`). Non-dominant columns, `tuningAngle` and `sfSep` are NaN for
 * single-subunit units.
 */
export interface LgnUnits {
  count: number
  /** Index into LGN_MODEL_IDS per unit. */
  modelIndex: Uint8Array
  /** Azimuth in degrees, [0, 240). */
  x: Float64Array
  /** Elevation in degrees, [0, 120). */
  y: Float64Array
  /** Receptive-field size in degrees (2–10). */
  spatialSize: Float64Array
  kpeaksDom: Float64Array
  weightDom: Float64Array
  delayDom: Float64Array
  kpeaksNonDom: Float64Array
  weightNonDom: Float64Array
  delayNonDom: Float64Array
  /** Degrees; direction from the dominant to the non-dominant subfield centre (two-subunit units). */
  tuningAngle: Float64Array
  /** Degrees; distance between the two subfield centres (two-subunit units). */
  sfSep: Float64Array
  /** Spontaneous rate of each unit in Hz (two-subunit units: the whole cell; each subunit gets half). */
  spontaneousRate: Float64Array
}

const dataDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'data', 'lgn')
export const LGN_UNITS_FILE = join(dataDir, 'lgn_units_240x120.csv.gz')
export const LGN_SPONTANEOUS_FILE = join(dataDir, 'spontaneous_rates.json')

const COLUMNS = [
  'id', 'model_id', 'x', 'y', 'ei', 'location', 'spatial_size',
  'kpeaks_dom_0', 'kpeaks_dom_1', 'weight_dom_0', 'weight_dom_1', 'delay_dom_0', 'delay_dom_1',
  'kpeaks_non_dom_0', 'kpeaks_non_dom_1', 'weight_non_dom_0', 'weight_non_dom_1', 'delay_non_dom_0',
  'delay_non_dom_1', 'tuning_angle', 'sf_sep',
] as const

/** True if the class has both an ON and an OFF subfield (SPEC §6.1 `is_composite`). */
export function isComposite(model: LgnModelId): boolean {
  return model.includes('ON') && model.includes('OFF')
}

/** Reads the spontaneous rates (Hz) per cell class, SPEC §6.1. */
export function loadSpontaneousRates(file = LGN_SPONTANEOUS_FILE): Record<LgnModelId, number> {
  let raw: Record<string, unknown>
  try {
    raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>
  } catch (err) {
    throw new V1lmError('E_BAD_FILE', `cannot read LGN spontaneous rates ${file}: ${(err as Error).message}. ` +
      'Fix: reinstall v1lm or regenerate with `node data/lgn/derive.mjs`.', file)
  }
  const out = {} as Record<LgnModelId, number>
  for (const m of LGN_MODEL_IDS) {
    const v = raw[m]
    if (typeof v !== 'number' || !(v >= 0)) {
      throw new V1lmError('E_BAD_FILE', `${file}: spontaneous rate of ${m} missing or not a non-negative number`, m)
    }
    out[m] = v
  }
  return out
}

let cached: LgnUnits | undefined

/**
 * The 17,400-unit LGN table (SPEC §6.1), cached after the first call. `file` reads another table of
 * the same space-separated format (plain or gzip); its x must lie in [0, 240) and y in [0, 120).
 */
export function loadLgnUnits(file?: string): LgnUnits {
  if (file === undefined && cached) return cached
  const path = file ?? LGN_UNITS_FILE
  let text: string
  try {
    const bytes = readFileSync(path)
    text = (bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes).toString('utf8')
  } catch (err) {
    throw new V1lmError('E_BAD_FILE', `cannot read LGN unit table ${path}: ${(err as Error).message}`, path)
  }
  const units = parseLgnUnits(text, path)
  if (file === undefined) cached = units
  return units
}

function parseLgnUnits(text: string, path: string): LgnUnits {
  const lines = text.trim().split('\n')
  const header = lines[0].trim().split(/\s+/)
  for (const c of COLUMNS) {
    if (!header.includes(c)) {
      throw new V1lmError('E_BAD_FILE', `${path}: column '${c}' missing (need: ${COLUMNS.join(' ')})`, c)
    }
  }
  const at = Object.fromEntries(COLUMNS.map((c) => [c, header.indexOf(c)])) as Record<(typeof COLUMNS)[number], number>
  const n = lines.length - 1
  const spont = loadSpontaneousRates()
  const f64 = (k = 1) => new Float64Array(n * k)
  const u: LgnUnits = {
    count: n, modelIndex: new Uint8Array(n), x: f64(), y: f64(), spatialSize: f64(),
    kpeaksDom: f64(2), weightDom: f64(2), delayDom: f64(2),
    kpeaksNonDom: f64(2), weightNonDom: f64(2), delayNonDom: f64(2),
    tuningAngle: f64(), sfSep: f64(), spontaneousRate: f64(),
  }
  const pairs: [Float64Array, string][] = [
    [u.kpeaksDom, 'kpeaks_dom'], [u.weightDom, 'weight_dom'], [u.delayDom, 'delay_dom'],
    [u.kpeaksNonDom, 'kpeaks_non_dom'], [u.weightNonDom, 'weight_non_dom'], [u.delayNonDom, 'delay_non_dom'],
  ]
  for (let i = 0; i < n; i++) {
    const f = lines[i + 1].trim().split(/\s+/)
    const row = `${path} row ${i + 1}`
    if (f.length !== header.length) {
      throw new V1lmError('E_BAD_FILE', `${row}: ${f.length} fields, header has ${header.length}`, path)
    }
    if (Number(f[at.id]) !== i) {
      throw new V1lmError('E_BAD_FILE', `${row}: id ${f[at.id]} where ${i} was expected (ids must be 0..N-1 in order)`, 'id')
    }
    const m = LGN_MODEL_IDS.indexOf(f[at.model_id] as LgnModelId)
    if (m < 0) {
      throw new V1lmError('E_BAD_FILE', `${row}: unknown model_id '${f[at.model_id]}' (one of ${LGN_MODEL_IDS.join(', ')})`, 'model_id')
    }
    const num = (c: string) => Number(f[header.indexOf(c)])
    u.modelIndex[i] = m
    u.x[i] = Number(f[at.x])
    u.y[i] = Number(f[at.y])
    u.spatialSize[i] = Number(f[at.spatial_size])
    if (!(u.x[i] >= 0 && u.x[i] < LGN_SCREEN.cols && u.y[i] >= 0 && u.y[i] < LGN_SCREEN.rows)) {
      throw new V1lmError('E_BAD_FILE', `${row}: position (${u.x[i]}, ${u.y[i]}) outside the 240×120 screen`, 'x')
    }
    // SPEC §6.1: size bins [i, i+1) for i = 0..13; larger units would be dropped by the reference.
    if (!(u.spatialSize[i] > 0 && u.spatialSize[i] < 14)) {
      throw new V1lmError('E_BAD_FILE', `${row}: spatial_size ${u.spatialSize[i]} outside (0, 14) degrees`, 'spatial_size')
    }
    for (const [arr, name] of pairs) {
      arr[2 * i] = num(`${name}_0`)
      arr[2 * i + 1] = num(`${name}_1`)
    }
    u.tuningAngle[i] = Number(f[at.tuning_angle])
    u.sfSep[i] = Number(f[at.sf_sep])
    const model = LGN_MODEL_IDS[m]
    u.spontaneousRate[i] = spont[model]
    const composite = isComposite(model)
    const needed = composite
      ? [u.kpeaksDom, u.weightDom, u.delayDom, u.kpeaksNonDom, u.weightNonDom, u.delayNonDom]
      : [u.kpeaksDom, u.weightDom, u.delayDom]
    for (const arr of needed) {
      if (!Number.isFinite(arr[2 * i]) || !Number.isFinite(arr[2 * i + 1])) {
        throw new V1lmError('E_BAD_FILE', `${row}: temporal kernel parameters of ${model} must be finite`, 'kpeaks_dom_0')
      }
    }
    if (composite && !(Number.isFinite(u.tuningAngle[i]) && Number.isFinite(u.sfSep[i]))) {
      throw new V1lmError('E_BAD_FILE', `${row}: two-subunit unit needs tuning_angle and sf_sep`, 'sf_sep')
    }
  }
  return u
}
