/**
 * Gabor patches for receptive-field mapping (SPEC §9.3): a drifting grating (cpd 0.04, 2 Hz, contrast 1)
 * inside a disk. Disk centres lie on the grid x0 ∈ {r, 2r, …} < 240, y0 ∈ {r, 2r, …} < 120 (r = radius,
 * default 10 → 23 × 11 positions); a pixel (column x, row y) is inside if (x−x0)² + (y−y0)² ≤ (r − √0.5)².
 */
import { V1lmError } from '../errors.js'
import { driftingGrating, type GratingOptions } from './gratings.js'
import { checkSteps, makeMovie, SCREEN_COLS, SCREEN_ROWS, withGrayPadding, FRAME_SIZE, type Movie } from './movie.js'

export interface GaborOptions extends Omit<GratingOptions, 'preDelay' | 'postDelay'> {
  /** Index of the centre on the grid: column index (0..22 for r = 10) and row index (0..10). */
  col: number
  row: number
  radius?: number
  preDelay?: number
  postDelay?: number
}

/** Number of grid positions per axis for a radius: [columns, rows]. */
export function gaborGrid(radius = 10): [number, number] {
  checkSteps('radius', radius, 1)
  return [Math.ceil(SCREEN_COLS / radius) - 1, Math.ceil(SCREEN_ROWS / radius) - 1]
}

export function gaborPatch(o: GaborOptions): Movie {
  const r = o.radius ?? 10
  const [nc, nr] = gaborGrid(r)
  if (!Number.isInteger(o.col) || o.col < 0 || o.col >= nc) throw new V1lmError('E_BAD_ARGUMENT', `col must be 0..${nc - 1}`, 'col')
  if (!Number.isInteger(o.row) || o.row < 0 || o.row >= nr) throw new V1lmError('E_BAD_ARGUMENT', `row must be 0..${nr - 1}`, 'row')
  const x0 = r * (o.col + 1)
  const y0 = r * (o.row + 1)
  const lim = (r - Math.SQRT1_2) ** 2
  const mask = new Uint8Array(FRAME_SIZE)
  for (let y = 0; y < SCREEN_ROWS; y++) for (let x = 0; x < SCREEN_COLS; x++) mask[y * SCREEN_COLS + x] = (x - x0) ** 2 + (y - y0) ** 2 <= lim ? 1 : 0
  const grating = driftingGrating({ cpd: 0.04, temporalF: 2, contrast: 1, ...o, preDelay: 0, postDelay: 0 })
  const patch = makeMovie(grating.steps, `gabor(${o.col},${o.row},${r},${grating.key})`, (t, out, off) => {
    grating.frame(t, out, off)
    for (let i = 0; i < FRAME_SIZE; i++) if (!mask[i]) out[off + i] = 0
  })
  return withGrayPadding(patch, o.preDelay ?? 0, o.postDelay ?? 0)
}
