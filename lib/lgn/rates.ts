/**
 * LGN firing rates of a movie (SPEC §6.1, Appendix B): TS prepares the filters once per unit table, the
 * native backend (C++ on CPU, CUDA on GPU) applies them. Results can be cached per stimulus.
 */
import { V1lmError, fromNative } from '../errors.js'
import { loadAddon, resolveBackend } from '../native.js'
import { FRAME_SIZE, renderFrames, type Movie } from '../stimuli/movie.js'
import { gaussianTaps, SIZE_BINS, sizeBin, unitCentres } from './spatial.js'
import { buildTemporalKernels } from './temporal.js'
import { isComposite, LGN_MODEL_IDS, loadLgnUnits, type LgnUnits } from './units.js'

export type LgnBackend = 'cpu' | 'cuda' | 'auto'

export interface LgnRatesOptions {
  /** 'auto' (default) uses CUDA when a device is available, else the CPU. */
  backend?: LgnBackend
  /** Also return spike probabilities p = 1 − exp(−rate/1000) (default true). */
  probabilities?: boolean
  /** CPU threads (default: all cores). */
  threads?: number
  /** Use and fill the per-stimulus cache (default false); keyed by movie.key and the unit table. */
  cache?: boolean | LgnRateCache
}

export interface LgnTiming {
  backend: 'cpu' | 'cuda'
  uploadMs: number
  spatialMs: number
  temporalMs: number
  downloadMs: number
  totalMs: number
}

export interface LgnResponse {
  steps: number
  units: number
  /** steps × units, Hz, row-major by step. */
  rates: Float32Array
  /** steps × units spike probabilities per 1-ms step (absent when not requested). */
  probabilities?: Float32Array
  timing: LgnTiming
}

interface NativeLgn {
  lgnCreate(spec: object): unknown
  lgnRates(model: unknown, movie: Float32Array, steps: number, rates: Float32Array, probabilities: Float32Array | null,
    options: { backend: 'cpu' | 'cuda'; threads?: number }): Promise<LgnTiming>
}

/** Everything the native filters need for one unit table (also useful for inspection and tests). */
export interface LgnFilterSpec {
  n: number
  nc: number
  kDom: number
  kNd: number
  taps: Float32Array
  tapOffset: Int32Array
  radius: Int32Array
  /** Size bin (0..13) of each dense bin index. */
  binSize: Int32Array
  unitBin: Int32Array
  y: Float64Array
  x: Float64Array
  ndIndex: Int32Array
  yNd: Float64Array
  xNd: Float64Array
  amp: Float64Array
  spontDom: Float64Array
  ampNd: Float64Array
  spontNd: Float64Array
  kernDom: Float32Array
  kernNd: Float32Array
  firstDom: Int32Array
  firstNd: Int32Array
}

function firstNonzero(kern: Float32Array, K: number, count: number, u: number): number {
  let j = 0
  while (j < K && kern[j * count + u] === 0) j++
  return j
}

/** Builds the filter description of a unit table (SPEC §6.1): spatial bins, centres, kernels, amplitudes. */
export function buildLgnFilters(units: LgnUnits): LgnFilterSpec {
  const n = units.count
  const temporal = buildTemporalKernels(units)
  const used = [...new Set(Array.from(units.spatialSize, sizeBin))].sort((a, b) => a - b)
  if (used.some((b) => b < 0 || b >= SIZE_BINS)) {
    throw new V1lmError('E_BAD_ARGUMENT', `LGN spatial sizes must lie in [0, ${SIZE_BINS})`, 'spatial_size')
  }
  const tapsList = used.map(gaussianTaps)
  const tapOffset = new Int32Array(used.length)
  const radius = new Int32Array(used.length)
  let total = 0
  tapsList.forEach((g, b) => {
    tapOffset[b] = total
    radius[b] = (g.length - 1) / 2
    total += g.length
  })
  const taps = new Float32Array(total)
  tapsList.forEach((g, b) => taps.set(g, tapOffset[b]))
  const nc = temporal.nd.length / Math.max(1, temporal.kNd)
  const spec: LgnFilterSpec = {
    n, nc, kDom: temporal.kDom, kNd: temporal.kNd, taps, tapOffset, radius, binSize: Int32Array.from(used),
    unitBin: new Int32Array(n), y: new Float64Array(n), x: new Float64Array(n), ndIndex: temporal.compositeIndex,
    yNd: new Float64Array(nc), xNd: new Float64Array(nc), amp: temporal.amplitude, spontDom: new Float64Array(n),
    ampNd: new Float64Array(nc), spontNd: new Float64Array(nc), kernDom: temporal.dom, kernNd: temporal.nd,
    firstDom: new Int32Array(n), firstNd: new Int32Array(nc),
  }
  for (let u = 0; u < n; u++) {
    spec.unitBin[u] = used.indexOf(sizeBin(units.spatialSize[u]))
    const { dom, nd } = unitCentres(units, u)
    ;[spec.x[u], spec.y[u]] = dom
    spec.firstDom[u] = firstNonzero(temporal.dom, temporal.kDom, n, u)
    const c = temporal.compositeIndex[u]
    const composite = isComposite(LGN_MODEL_IDS[units.modelIndex[u]])
    // SPEC §6.1: two-subunit cells give each subunit half the cell's spontaneous rate.
    spec.spontDom[u] = composite ? units.spontaneousRate[u] / 2 : units.spontaneousRate[u]
    if (c >= 0 && nd) {
      ;[spec.xNd[c], spec.yNd[c]] = nd
      spec.ampNd[c] = temporal.ndAmplitude[u]
      spec.spontNd[c] = units.spontaneousRate[u] / 2
      spec.firstNd[c] = firstNonzero(temporal.nd, temporal.kNd, nc, c)
    }
  }
  return spec
}

const models = new WeakMap<LgnUnits, { spec: LgnFilterSpec; handle: unknown }>()

/** The filters of a unit table, built once and kept on the native side while the table is alive. */
export function lgnFilters(units: LgnUnits): { spec: LgnFilterSpec; handle: unknown } {
  let m = models.get(units)
  if (!m) {
    const spec = buildLgnFilters(units)
    const addon = loadAddon() as unknown as NativeLgn
    let handle: unknown
    try {
      handle = addon.lgnCreate(spec)
    } catch (err) {
      throw fromNative(err)
    }
    m = { spec, handle }
    models.set(units, m)
  }
  return m
}

export { resolveBackend } from '../native.js'

export class LgnRateCache {
  private readonly entries = new Map<string, LgnResponse>()
  private bytes = 0
  private readonly tables = new WeakMap<LgnUnits, number>()
  private nextTable = 0
  constructor(readonly maxBytes = 2 * 1024 ** 3) {}

  key(movie: Movie, units: LgnUnits, probabilities: boolean): string {
    let id = this.tables.get(units)
    if (id === undefined) this.tables.set(units, (id = this.nextTable++))
    return `${id}|${probabilities ? 'p' : 'r'}|${movie.key}`
  }
  get(key: string): LgnResponse | undefined {
    const hit = this.entries.get(key)
    if (hit) {
      this.entries.delete(key)
      this.entries.set(key, hit)
    }
    return hit
  }
  set(key: string, r: LgnResponse): void {
    const size = r.rates.byteLength + (r.probabilities?.byteLength ?? 0)
    if (size > this.maxBytes) return
    this.delete(key)
    this.entries.set(key, r)
    this.bytes += size
    for (const [k] of this.entries) {
      if (this.bytes <= this.maxBytes) break
      this.delete(k)
    }
  }
  delete(key: string): void {
    const r = this.entries.get(key)
    if (!r) return
    this.bytes -= r.rates.byteLength + (r.probabilities?.byteLength ?? 0)
    this.entries.delete(key)
  }
  get size(): number {
    return this.entries.size
  }
  get byteSize(): number {
    return this.bytes
  }
  clear(): void {
    this.entries.clear()
    this.bytes = 0
  }
}

/** The process-wide cache used by `lgnRates(..., { cache: true })`. */
export const lgnRateCache = new LgnRateCache()

/**
 * LGN firing rates (Hz) and spike probabilities of every unit at every step of a movie (SPEC §6.1).
 * `units` defaults to the 17,400-unit table.
 */
export async function lgnRates(movie: Movie, units: LgnUnits = loadLgnUnits(), options: LgnRatesOptions = {}): Promise<LgnResponse> {
  if (!movie || typeof movie.frame !== 'function' || !(movie.steps >= 1)) {
    throw new V1lmError('E_BAD_ARGUMENT', 'movie must be a Movie (lib/stimuli) with at least one step', 'movie')
  }
  const wantP = options.probabilities ?? true
  const cache = options.cache === true ? lgnRateCache : options.cache || undefined
  const key = cache?.key(movie, units, wantP)
  const hit = key !== undefined ? cache!.get(key) : undefined
  if (hit) return hit
  const backend = resolveBackend(options.backend)
  const { handle } = lgnFilters(units)
  const frames = renderFrames(movie)
  if (frames.length !== movie.steps * FRAME_SIZE) throw new V1lmError('E_INTERNAL', 'movie rendered to a wrong size')
  const rates = new Float32Array(movie.steps * units.count)
  const probabilities = wantP ? new Float32Array(movie.steps * units.count) : undefined
  const addon = loadAddon() as unknown as NativeLgn
  let timing: LgnTiming
  try {
    timing = await addon.lgnRates(handle, frames, movie.steps, rates, probabilities ?? null,
      options.threads !== undefined ? { backend, threads: options.threads } : { backend })
  } catch (err) {
    throw fromNative(err)
  }
  const out: LgnResponse = { steps: movie.steps, units: units.count, rates, timing, ...(probabilities ? { probabilities } : {}) }
  if (key !== undefined) cache!.set(key, out)
  return out
}
