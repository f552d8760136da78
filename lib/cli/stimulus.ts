/**
 * `v1lm stimulus --kind gratings --out DIR`: draws a frame of a stimulus and the LGN rate map it evokes,
 * as PNG files a user can look at.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { V1lmError } from '../errors.js'
import { lgnRates, type LgnBackend } from '../lgn/rates.js'
import { loadLgnUnits } from '../lgn/units.js'
import { driftingGrating } from '../stimuli/gratings.js'
import { fullFieldFlash } from '../stimuli/flash.js'
import { gaborPatch } from '../stimuli/gabor.js'
import { mnistMovie } from '../stimuli/mnist.js'
import { FRAME_SIZE, grayScreen, SCREEN_COLS, SCREEN_ROWS, type Movie } from '../stimuli/movie.js'
import { encodePng, frameToRgb, heat } from '../stimuli/png.js'
import { sparseNoise } from '../stimuli/sparse-noise.js'

export const STIMULUS_KINDS = ['gratings', 'gray', 'flash-white', 'flash-black', 'gabor', 'sparse-noise', 'mnist'] as const
export type StimulusKind = (typeof STIMULUS_KINDS)[number]

export const STIMULUS_HELP = `v1lm stimulus --kind KIND --out DIR [options]

Writes DIR/KIND-frame.png (the movie frame at --step) and DIR/KIND-lgn-rates.png (rate of every LGN unit
at that step, drawn at the unit's position on the 240x120-degree screen; black 0 Hz → white --max-rate),
plus DIR/KIND.json with the parameters and rate statistics.

  --kind KIND        ${STIMULUS_KINDS.join(' | ')} | all          (required)
  --out DIR          output folder (created)                           (required)
  --step N           frame to draw, ms (default 250)
  --direction DEG    grating / Gabor direction (default 0)
  --index N          MNIST test image (default 0)
  --seed N           sparse-noise seed (default 1)
  --backend B        cpu | cuda | auto (default auto)
  --max-rate HZ      top of the colour scale (default 30)
  --scale N          pixels per degree in the PNGs (default 3)
  -h, --help         this text`

function movieFor(kind: StimulusKind, steps: number, direction: number, index: number, seed: number): Movie {
  switch (kind) {
    case 'gratings': return driftingGrating({ duration: steps - 50, direction, preDelay: 50 })
    case 'gray': return grayScreen(steps)
    case 'flash-white': return fullFieldFlash({ duration: steps - 50, contrast: 1, preDelay: 50 })
    case 'flash-black': return fullFieldFlash({ duration: steps - 50, contrast: -1, preDelay: 50 })
    case 'gabor': return gaborPatch({ duration: steps - 50, direction, col: 11, row: 5, preDelay: 50 })
    case 'sparse-noise': return sparseNoise({ steps, seed, period: 250 })
    case 'mnist': return mnistMovie({ set: 'test', index, preDelay: 50, imSlice: Math.max(1, steps - 50), postDelay: 0 })
  }
}

function number(v: string | undefined, name: string, fallback: number): number {
  if (v === undefined) return fallback
  const n = Number(v)
  if (!Number.isFinite(n)) throw new V1lmError('E_BAD_ARGUMENT', `--${name} must be a number (got '${v}')`, name)
  return n
}

/** Runs the command; returns the files written. */
export async function stimulusCommand(argv: string[], log: (s: string) => void = console.log): Promise<string[]> {
  const { values } = parseArgs({
    args: argv,
    options: {
      kind: { type: 'string' }, out: { type: 'string' }, step: { type: 'string' }, direction: { type: 'string' },
      index: { type: 'string' }, seed: { type: 'string' }, backend: { type: 'string' }, 'max-rate': { type: 'string' },
      scale: { type: 'string' }, help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  })
  if (values.help) {
    log(STIMULUS_HELP)
    return []
  }
  if (!values.kind || !values.out) throw new V1lmError('E_BAD_ARGUMENT', `--kind and --out are required\n\n${STIMULUS_HELP}`, values.kind ? 'out' : 'kind')
  const kinds = values.kind === 'all' ? [...STIMULUS_KINDS] : [values.kind as StimulusKind]
  for (const k of kinds) {
    if (!STIMULUS_KINDS.includes(k)) throw new V1lmError('E_BAD_ARGUMENT', `--kind must be one of ${STIMULUS_KINDS.join(', ')}, all (got '${k}')`, 'kind')
  }
  const step = number(values.step, 'step', 250)
  if (!Number.isInteger(step) || step < 0) throw new V1lmError('E_BAD_ARGUMENT', '--step must be an integer >= 0', 'step')
  const direction = number(values.direction, 'direction', 0)
  const index = number(values.index, 'index', 0)
  const seed = number(values.seed, 'seed', 1)
  const maxRate = number(values['max-rate'], 'max-rate', 30)
  const scale = number(values.scale, 'scale', 3)
  const backend = (values.backend ?? 'auto') as LgnBackend
  mkdirSync(values.out, { recursive: true })
  const units = loadLgnUnits()
  const written: string[] = []
  for (const kind of kinds) {
    const movie = movieFor(kind, Math.max(step + 1, 51), direction, index, seed)
    const frame = new Float32Array(FRAME_SIZE)
    movie.frame(step, frame)
    const framePath = join(values.out, `${kind}-frame.png`)
    writeFileSync(framePath, encodePng(SCREEN_COLS * scale, SCREEN_ROWS * scale, frameToRgb(frame, SCREEN_ROWS, SCREEN_COLS, scale)))
    const r = await lgnRates(movie, units, { backend, probabilities: false })
    const w = SCREEN_COLS * scale, h = SCREEN_ROWS * scale
    const rgb = new Uint8Array(w * h * 3)
    let sum = 0, max = 0
    for (let u = 0; u < units.count; u++) {
      const rate = r.rates[step * units.count + u]
      sum += rate
      max = Math.max(max, rate)
      const colour = heat(rate / maxRate)
      const cx = Math.round(units.x[u] * scale), cy = Math.round(units.y[u] * scale)
      for (let y = Math.max(0, cy - 1); y <= Math.min(h - 1, cy + 1); y++)
        for (let x = Math.max(0, cx - 1); x <= Math.min(w - 1, cx + 1); x++) rgb.set(colour, 3 * (y * w + x))
    }
    const ratePath = join(values.out, `${kind}-lgn-rates.png`)
    writeFileSync(ratePath, encodePng(w, h, rgb))
    const jsonPath = join(values.out, `${kind}.json`)
    const summary = { kind, step, steps: movie.steps, key: movie.key, meanRateHz: sum / units.count, maxRateHz: max, timing: r.timing }
    writeFileSync(jsonPath, JSON.stringify(summary, null, 2) + '\n')
    log(`${kind}: ${framePath}, ${ratePath} (mean ${summary.meanRateHz.toFixed(2)} Hz, max ${max.toFixed(1)} Hz, ${r.timing.backend})`)
    written.push(framePath, ratePath, jsonPath)
  }
  return written
}
