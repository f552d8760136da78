/**
 * Spatial part of the LGN filters (SPEC §6.1): one separable Gaussian per size bin and the units' sampling
 * positions in pixel coordinates.
 */
import type { LgnUnits } from './units.js'
import { isComposite, LGN_MODEL_IDS } from './units.js'

/** Number of size bins [i, i+1) (SPEC §6.1). */
export const SIZE_BINS = 14

/**
 * 1-D taps of bin i: σ = (i + 0.5)/3 px, g(u) ∝ exp(−u²/2σ²) for |u| ≤ int(4σ + 0.5) (scipy
 * `gaussian_filter`, truncate 4), normalized to sum 1; then cropped like the reference's 2-D kernel to the
 * bounding box of entries g(u)·g(v) > 1e-9, i.e. the taps with g(u)·g(0) > 1e-9.
 */
export function gaussianTaps(bin: number): Float64Array {
  const sigma = (bin + 0.5) / 3
  const r = Math.floor(4 * sigma + 0.5)
  const g = new Float64Array(2 * r + 1)
  let sum = 0
  for (let u = -r; u <= r; u++) sum += (g[u + r] = Math.exp((-0.5 * u * u) / (sigma * sigma)))
  for (let i = 0; i < g.length; i++) g[i] /= sum
  let keep = r
  while (keep > 0 && g[r + keep] * g[r] <= 1e-9) keep--
  return g.slice(r - keep, r + keep + 1)
}

/** Size bin of a unit: ⌊spatial_size⌋ (SPEC §6.1). */
export function sizeBin(spatialSize: number): number {
  return Math.floor(spatialSize)
}

/** Screen degrees → pixel coordinates: x·239/240 clipped to [0, 239], y·119/120 clipped to [0, 119]. */
export function toPixels(x: number, y: number): [number, number] {
  return [Math.min(Math.max((x * 239) / 240, 0), 239), Math.min(Math.max((y * 119) / 120, 0), 119)]
}

/** Dominant and (for two-subunit units) non-dominant centres in pixels; nd centre at sf_sep along the tuning angle. */
export function unitCentres(units: LgnUnits, u: number): { dom: [number, number]; nd?: [number, number] } {
  const dom = toPixels(units.x[u], units.y[u])
  if (!isComposite(LGN_MODEL_IDS[units.modelIndex[u]])) return { dom }
  const a = (units.tuningAngle[u] * Math.PI) / 180
  const nd = toPixels(units.x[u] + units.sfSep[u] * Math.cos(a), units.y[u] + units.sfSep[u] * Math.sin(a))
  return { dom, nd }
}
