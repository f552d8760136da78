/**
 * Full-field flashes (SPEC §9.4): the old grating generator with temporal_f = 0, cpd = 0, phase = 90 gives a
 * uniform screen of value `contrast` (−1 black, +1 white) between gray pre/post frames.
 */
import { checkFinite, checkSteps, FRAME_SIZE, makeMovie, withGrayPadding, type Movie } from './movie.js'

export interface FlashOptions {
  /** Flash frames (ms). */
  duration: number
  /** +1 white, −1 black (any value in [−1, 1]). */
  contrast: number
  preDelay?: number
  postDelay?: number
}

export function fullFieldFlash(o: FlashOptions): Movie {
  const duration = checkSteps('duration', o.duration)
  const contrast = checkFinite('contrast', o.contrast)
  const flash = makeMovie(duration, `flash(${duration},${contrast})`, (_t, out, off) => out.fill(contrast, off, off + FRAME_SIZE))
  return withGrayPadding(flash, o.preDelay ?? 0, o.postDelay ?? 0)
}
