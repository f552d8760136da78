/**
 * Loaders of the derived target tables in data/targets (see data/targets/SOURCES.md and docs/losses.md):
 * Neuropixels per-unit tables (rates, OSI, DSI by cell type) and experimental Fano-factor curves.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { V1lmError } from '../errors.js'
import { CELL_TYPES, type CellType } from './celltypes.js'
import { column, num, parseTable } from './csv.js'
import type { OsiDsiTypeTarget } from './osi.js'

export type Area = 'v1' | 'lm'
export type Session = 'evoked' | 'spont'

/** data/targets of this package (lib/losses → ../../data/targets, same from dist/losses). */
export function defaultTargetsDir(): string {
  return fileURLToPath(new URL('../../data/targets/', import.meta.url))
}

export interface NeuropixelsUnit {
  unitId: string
  cellType: CellType
  /** Where the row comes from: "v4" (V1 table), "visl_fc" (LM Exc/PV), "v4_shared" (LM L1/SST/VIP). */
  origin: string
  osi: number
  dsi: number
  maxMeanRateHz: number
  aveRateHz: number
  spontRateHz: number
}

export const UNIT_COLUMNS = ['ecephys_unit_id', 'cell_type', 'origin', 'OSI', 'DSI', 'max_mean_rate_hz', 'ave_rate_hz', 'firing_rate_sp_hz'] as const

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8')
  } catch (err) {
    throw new V1lmError('E_BAD_FILE', `cannot read ${file}: ${(err as Error).message}. Fix: reinstall the package or rerun the target derivation (data/targets/SOURCES.md)`, file)
  }
}

export function loadNeuropixelsUnits(area: Area, dir = defaultTargetsDir()): NeuropixelsUnit[] {
  const file = join(dir, `neuropixels_${area}_units.csv`)
  const t = parseTable(readText(file), ',', file)
  const k = UNIT_COLUMNS.map((c) => column(t, c, file))
  return t.rows.map((r) => {
    const cellType = r[k[1]] as CellType
    if (!CELL_TYPES.includes(cellType)) throw new V1lmError('E_BAD_FILE', `${file}: unknown cell_type "${r[k[1]]}"`, file)
    return {
      unitId: r[k[0]],
      cellType,
      origin: r[k[2]],
      osi: num(r[k[3]]),
      dsi: num(r[k[4]]),
      maxMeanRateHz: num(r[k[5]]),
      aveRateHz: num(r[k[6]]),
      spontRateHz: num(r[k[7]]),
    }
  })
}

/**
 * Rates (Hz) per cell type for the rate loss, NaN dropped (SPEC §10.1): `evoked` = Ave_Rate(Hz) (gratings),
 * `spontaneous` = firing_rate_sp. (The natural-images feature firing_rate_ns is not in any public table.)
 */
export function rateSamplesHz(units: readonly NeuropixelsUnit[], feature: 'evoked' | 'spontaneous'): Partial<Record<CellType, number[]>> {
  const out: Partial<Record<CellType, number[]>> = {}
  for (const u of units) {
    const r = feature === 'evoked' ? u.aveRateHz : u.spontRateHz
    if (Number.isNaN(r)) continue
    ;(out[u.cellType] ??= []).push(r)
  }
  return out
}

/**
 * Per-type mean OSI and DSI targets (SPEC §10.4): OSI/DSI → NaN where max_mean_rate < 0.5 Hz, rows with
 * Ave_Rate == 0 dropped, rows with NaN rates dropped; then mean OSI over rows with OSI and mean DSI over rows
 * with DSI (for the V1 table, whose OSI and DSI are NaN together, this is the reference's row-wise dropna).
 * A type without any DSI gets dsi = null (no DSI term).
 */
export function osiDsiTargets(units: readonly NeuropixelsUnit[]): OsiDsiTypeTarget[] {
  const acc = new Map<CellType, { o: number; no: number; d: number; nd: number }>()
  for (const u of units) {
    if (u.aveRateHz === 0 || Number.isNaN(u.aveRateHz) || Number.isNaN(u.maxMeanRateHz)) continue
    const responding = u.maxMeanRateHz >= 0.5
    const a = acc.get(u.cellType) ?? { o: 0, no: 0, d: 0, nd: 0 }
    if (responding && !Number.isNaN(u.osi)) {
      a.o += u.osi
      a.no++
    }
    if (responding && !Number.isNaN(u.dsi)) {
      a.d += u.dsi
      a.nd++
    }
    acc.set(u.cellType, a)
  }
  const out: OsiDsiTypeTarget[] = []
  for (const cellType of CELL_TYPES) {
    const a = acc.get(cellType)
    if (!a || a.no === 0) continue
    out.push({ cellType, osi: a.o / a.no, dsi: a.nd > 0 ? a.d / a.nd : null })
  }
  return out
}

export interface FanoCurve {
  durationMs: number
  session: Session
  /** sessions × bins, null = NaN in the source file. */
  sessions: (number | null)[][]
  /** nanmean over sessions per bin (null where no session has a value). */
  mean: (number | null)[]
}

export interface FanoCurves {
  area: Area
  /** logspace(−3, 0, 20) seconds. */
  binSizesS: number[]
  curves: FanoCurve[]
}

export function loadFanoCurves(area: Area, dir = defaultTargetsDir()): FanoCurves {
  const file = join(dir, `fano_${area}.json`)
  let parsed: FanoCurves
  try {
    parsed = JSON.parse(readText(file)) as FanoCurves
  } catch (err) {
    if (err instanceof V1lmError) throw err
    throw new V1lmError('E_BAD_FILE', `${file}: not valid JSON (${(err as Error).message})`, file)
  }
  if (!Array.isArray(parsed.binSizesS) || !Array.isArray(parsed.curves) || parsed.curves.some((c) => c.mean.length !== parsed.binSizesS.length)) {
    throw new V1lmError('E_BAD_FILE', `${file}: expected {binSizesS, curves[{durationMs, session, sessions, mean}]}`, file)
  }
  return parsed
}

export interface FanoTarget {
  area: Area
  session: Session
  /** Duration of the experimental window whose curve is used (300 or 1800 ms). */
  fileDurationMs: number
  /** Model window [startStep, endStep) = [200, seq_len) ms. */
  startStep: number
  endStep: number
  binSizesMs: number[]
  fano: Float64Array
}

/** Start of the synchrony window (0.2 s, SPEC §10.5). */
export const FANO_START_MS = 200

/**
 * The experimental Fano curve for a trial of `seqLen` steps (SPEC §10.5 with the §15.3 fix). The reference needs
 * a file for exactly seq_len − 200 ms and fails otherwise; v1lm takes the curve whose duration is nearest to the
 * window on a log scale (ties → the shorter), keeps bin sizes < window/2 as the reference does, and drops bins
 * the chosen curve does not measure (all-zero or all-NaN columns). For seq_len 500 and 2000 this is the reference.
 */
export function fanoTarget(curves: FanoCurves, session: Session, seqLen: number, startStep = FANO_START_MS): FanoTarget {
  const windowMs = seqLen - startStep
  if (!Number.isInteger(seqLen) || windowMs < 3) {
    throw new V1lmError('E_BAD_ARGUMENT', `seq_len ${seqLen} leaves no synchrony window after ${startStep} ms; use seq_len ≥ ${startStep + 3} (500 or 2000 match the data exactly)`, 'seq_len')
  }
  const candidates = curves.curves.filter((c) => c.session === session)
  if (candidates.length === 0) throw new V1lmError('E_BAD_FILE', `no ${session} Fano curve for ${curves.area}`, 'fano')
  let best = candidates[0]
  for (const c of candidates) {
    const d = Math.abs(Math.log(c.durationMs / windowMs))
    const e = Math.abs(Math.log(best.durationMs / windowMs))
    if (d < e || (d === e && c.durationMs < best.durationMs)) best = c
  }
  const binSizesMs: number[] = []
  const fano: number[] = []
  curves.binSizesS.forEach((w, k) => {
    const m = best.mean[k]
    if (!(w < windowMs / 1000 / 2) || m === null || m === 0) return
    binSizesMs.push(Math.round(w * 1000))
    fano.push(m)
  })
  return { area: curves.area, session, fileDurationMs: best.durationMs, startStep, endStep: seqLen, binSizesMs, fano: Float64Array.from(fano) }
}
