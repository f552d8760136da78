/**
 * Sparse noise (beyond the reference): light (+contrast) or dark (−contrast) squares on a gray screen, one
 * per display period, at positions of a grid of `squareSize`-degree cells — the classic stimulus for ON/OFF
 * receptive-field maps. The square of period k depends only on (seed, k), so frames are drawn lazily.
 */
import { uniformStream } from '../lgn/spikes.js'
import { checkFinite, checkSteps, FRAME_SIZE, makeMovie, SCREEN_COLS, SCREEN_ROWS, type Movie } from './movie.js'

export interface SparseNoiseOptions {
  steps: number
  seed: number
  /** Side of a square in degrees (default 10). */
  squareSize?: number
  /** ms each square is shown (default 250). */
  period?: number
  contrast?: number
}

export interface SparseSquare {
  col: number
  row: number
  /** +1 light, −1 dark. */
  sign: number
}

export function sparseNoise(o: SparseNoiseOptions): Movie & { square(period: number): SparseSquare; readonly grid: [number, number] } {
  const steps = checkSteps('steps', o.steps)
  const size = checkSteps('squareSize', o.squareSize ?? 10, 1)
  const period = checkSteps('period', o.period ?? 250, 1)
  const contrast = checkFinite('contrast', o.contrast ?? 1)
  const seed = o.seed
  uniformStream(seed)
  const grid: [number, number] = [Math.ceil(SCREEN_COLS / size), Math.ceil(SCREEN_ROWS / size)]
  const square = (k: number): SparseSquare => {
    const u = uniformStream((seed * 0x9e3779b1 + k) | 0)
    const cell = Math.floor(u() * grid[0] * grid[1])
    return { col: cell % grid[0], row: Math.floor(cell / grid[0]), sign: u() < 0.5 ? -1 : 1 }
  }
  const movie = makeMovie(steps, `sparse(${JSON.stringify({ steps, seed, size, period, contrast })})`, (t, out, off) => {
    out.fill(0, off, off + FRAME_SIZE)
    const q = square(Math.floor(t / period))
    for (let y = q.row * size; y < Math.min(SCREEN_ROWS, (q.row + 1) * size); y++) {
      out.fill(q.sign * contrast, off + y * SCREEN_COLS + q.col * size, off + y * SCREEN_COLS + Math.min(SCREEN_COLS, (q.col + 1) * size))
    }
  })
  return Object.assign(movie, { square, grid })
}
