/**
 * Drifting gratings with the reference's conventions (SPEC §9.1): linspace pixel grids (spacing 120/119 and
 * 240/239 degrees), a linspace time axis in seconds, the `rotation`/Billeh-phase angle conversion and gray
 * padding. Also the random-direction training set and the regular 8-direction set.
 */
import { V1lmError } from '../errors.js'
import { uniformStream } from '../lgn/spikes.js'
import { checkFinite, checkSteps, makeMovie, SCREEN_COLS, SCREEN_ROWS, withGrayPadding, type Movie } from './movie.js'

export interface GratingOptions {
  /** Grating frames (ms), i.e. `image_duration`; gray padding comes on top. */
  duration: number
  /** Direction label θ in degrees (the reference's `theta`). */
  direction: number
  /** Phase in degrees (default 0). */
  phase?: number
  /** Spatial frequency, cycles per degree (default 0.04). */
  cpd?: number
  /** Temporal frequency in Hz (default 2). */
  temporalF?: number
  /** Contrast (default 0.8). */
  contrast?: number
  /** 'ccw' (default) or 'cw' (SPEC §9.1). */
  rotation?: 'ccw' | 'cw'
  /** false: a static grating (frame 0 repeated). Default true. */
  moving?: boolean
  preDelay?: number
  postDelay?: number
}

const linspace = (a: number, b: number, n: number) =>
  Float64Array.from({ length: n }, (_, i) => (n === 1 ? a : a + ((b - a) * i) / (n - 1)))

/** Drifting grating movie (SPEC §9.1). With the defaults the grating moves along θ in radians exactly. */
export function driftingGrating(o: GratingOptions): Movie {
  const duration = checkSteps('duration', o.duration)
  const direction = checkFinite('direction', o.direction)
  const phase = checkFinite('phase', o.phase ?? 0)
  const cpd = checkFinite('cpd', o.cpd ?? 0.04)
  const tf = checkFinite('temporalF', o.temporalF ?? 2)
  const contrast = checkFinite('contrast', o.contrast ?? 0.8)
  const rotation = o.rotation ?? 'ccw'
  if (rotation !== 'ccw' && rotation !== 'cw') {
    throw new V1lmError('E_BAD_ARGUMENT', `rotation must be 'ccw' or 'cw' (got ${String(rotation)})`, 'rotation')
  }
  const moving = o.moving ?? true
  // SPEC §9.1: θ_movie = −θ (ccw) or θ (cw), +180 (billeh_phase); θr = π(180 − θ_movie)/180, φr = π(180 − phase)/180.
  const thetaMovie = (rotation === 'ccw' ? -direction : direction) + 180
  const thetaR = (Math.PI * (180 - thetaMovie)) / 180
  const phiR = (Math.PI * (180 - phase)) / 180
  const rows = linspace(0, SCREEN_ROWS, SCREEN_ROWS)
  const cols = linspace(0, SCREEN_COLS, SCREEN_COLS)
  const time = linspace(0, duration / 1000, duration)
  const c = Math.cos(thetaR)
  const s = Math.sin(thetaR)
  // sin(A + B) with A = 2π·cpd·(x cos θr + y sin θr) per pixel and B = 2π·tf·t + φr per frame: the pixel
  // terms are computed once, so a frame costs two multiply-adds per pixel.
  const sinA = new Float64Array(SCREEN_ROWS * SCREEN_COLS)
  const cosA = new Float64Array(SCREEN_ROWS * SCREEN_COLS)
  for (let y = 0; y < SCREEN_ROWS; y++) {
    for (let x = 0; x < SCREEN_COLS; x++) {
      const a = 2 * Math.PI * cpd * (cols[x] * c + rows[y] * s)
      sinA[y * SCREEN_COLS + x] = Math.sin(a)
      cosA[y * SCREEN_COLS + x] = Math.cos(a)
    }
  }
  const key = `grating(${JSON.stringify({ duration, direction, phase, cpd, tf, contrast, rotation, moving })})`
  const grating = makeMovie(duration, key, (t, out, off) => {
    const b = 2 * Math.PI * tf * (moving ? time[t] : time[0]) + phiR
    const sb = contrast * Math.sin(b)
    const cb = contrast * Math.cos(b)
    for (let i = 0; i < sinA.length; i++) out[off + i] = sinA[i] * cb + cosA[i] * sb
  })
  return withGrayPadding(grating, o.preDelay ?? 0, o.postDelay ?? 0)
}

export interface GratingTrialOptions {
  /** Trial length in ms (`seq_len`, default 600; production 500). */
  seqLen?: number
  /** Gray frames before the grating (`delays[0]`, default 100). */
  preDelay?: number
  /** Gray frames after (`delays[1]`, default 0). */
  postDelay?: number
  contrast?: number
  cpd?: number
  temporalF?: number
  rotation?: 'ccw' | 'cw'
}

export interface GratingTrial {
  movie: Movie
  direction: number
  phase: number
  contrast: number
  /** Grating duration in ms (seq_len − pre − post). */
  duration: number
}

function trial(direction: number, phase: number, o: GratingTrialOptions): GratingTrial {
  const seqLen = checkSteps('seqLen', o.seqLen ?? 600, 1)
  const pre = checkSteps('preDelay', o.preDelay ?? 100)
  const post = checkSteps('postDelay', o.postDelay ?? 0)
  if (pre + post > seqLen) throw new V1lmError('E_BAD_ARGUMENT', `preDelay + postDelay (${pre + post}) exceeds seqLen ${seqLen}`, 'preDelay')
  const contrast = o.contrast ?? 0.8
  const duration = seqLen - pre - post
  const movie = driftingGrating({
    duration, direction, phase, contrast, cpd: o.cpd ?? 0.04, temporalF: o.temporalF ?? 2,
    rotation: o.rotation ?? 'ccw', preDelay: pre, postDelay: post,
  })
  return { movie, direction, phase, contrast, duration }
}

/**
 * Training trials (SPEC §9.1 `generate_drifting_grating_tuning`): θ ~ U[0, 360) and phase ~ U[0, 360) per
 * trial, drawn from a stream seeded by `seed`; trial i of a seed is always the same movie.
 */
export function randomGratingTrials(count: number, seed: number, o: GratingTrialOptions = {}): GratingTrial[] {
  checkSteps('count', count)
  const u = uniformStream(seed)
  return Array.from({ length: count }, () => {
    const direction = 360 * u()
    const phase = 360 * u()
    return trial(direction, phase, o)
  })
}

/** The regular set (`regular=True`): θ = 0, 45, 90, … (mod 360), phase 0. */
export function regularGratingTrials(count = 8, o: GratingTrialOptions = {}): GratingTrial[] {
  checkSteps('count', count)
  return Array.from({ length: count }, (_, i) => trial((45 * i) % 360, 0, o))
}
