/**
 * Movies on the reference's screen (SPEC §9.1): 120 rows × 240 columns, 1 px per degree, one frame per 1-ms
 * step, values in [−1, 1] with gray = 0. Frames are produced on demand from a pure function of the step, so a
 * movie never holds more than the frame being drawn.
 */
import { V1lmError } from '../errors.js'

export const SCREEN_ROWS = 120
export const SCREEN_COLS = 240
export const FRAME_SIZE = SCREEN_ROWS * SCREEN_COLS

export interface Movie {
  /** Number of 1-ms frames. */
  readonly steps: number
  /** Canonical description of the stimulus parameters: equal keys ⇔ equal movies (cache key). */
  readonly key: string
  /** Writes frame t (0 ≤ t < steps), row-major 120×240, into out[offset, offset + 28800). */
  frame(t: number, out: Float32Array, offset?: number): void
}

export function checkSteps(name: string, v: number, min = 0): number {
  if (!Number.isInteger(v) || v < min) {
    throw new V1lmError('E_BAD_ARGUMENT', `${name} must be an integer >= ${min} (got ${v})`, name)
  }
  return v
}

export function checkFinite(name: string, v: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new V1lmError('E_BAD_ARGUMENT', `${name} must be a finite number (got ${v})`, name)
  }
  return v
}

/** A movie built from a frame function (`draw` sees the step inside the stimulus, after padding). */
export function makeMovie(steps: number, key: string, draw: (t: number, out: Float32Array, offset: number) => void): Movie {
  checkSteps('steps', steps)
  return {
    steps,
    key,
    frame(t, out, offset = 0) {
      if (!(t >= 0 && t < steps)) throw new V1lmError('E_BAD_ARGUMENT', `frame ${t} outside [0, ${steps})`, 't')
      draw(t, out, offset)
    },
  }
}

/** Gray frames before and after a movie (SPEC §9.1 `movies_concat` with pre_delay/post_delay zero frames). */
export function withGrayPadding(movie: Movie, preDelay: number, postDelay: number): Movie {
  checkSteps('preDelay', preDelay)
  checkSteps('postDelay', postDelay)
  if (preDelay === 0 && postDelay === 0) return movie
  return makeMovie(preDelay + movie.steps + postDelay, `pad(${preDelay},${postDelay},${movie.key})`, (t, out, off) => {
    if (t < preDelay || t >= preDelay + movie.steps) out.fill(0, off, off + FRAME_SIZE)
    else movie.frame(t - preDelay, out, off)
  })
}

/** Gray screen (SPEC §9.2): every pixel 0 for `steps` frames. */
export function grayScreen(steps: number): Movie {
  return makeMovie(steps, `gray(${steps})`, (_t, out, off) => out.fill(0, off, off + FRAME_SIZE))
}

/** Materializes frames [t0, t0 + count) into one array (T × 120 × 240). */
export function renderFrames(movie: Movie, t0 = 0, count = movie.steps - t0): Float32Array {
  const out = new Float32Array(count * FRAME_SIZE)
  for (let i = 0; i < count; i++) movie.frame(t0 + i, out, i * FRAME_SIZE)
  return out
}
