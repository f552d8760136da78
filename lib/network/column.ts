/**
 * The full Billeh column (230,924 neurons, radius 845 µm) generated from the population table, and the subset
 * selection of SPEC §7.3.
 */
import { V1lmError } from '../errors.js'
import { Stream } from './rng.js'
import type { Tables } from './tables.js'

/** V1:LM neuron ratio of the reference (SPEC §7.3). */
export const V1_LM_RATIO = 7.010391285652859

export interface Column {
  n: number
  x: Float32Array
  y: Float32Array
  z: Float32Array
  tuningAngle: Float32Array
  /** Index into Tables.nodeTypes. */
  typeIndex: Int16Array
  /** Index into Tables.populations. */
  popIndex: Uint8Array
  /** Horizontal distance to the column axis. */
  radius: Float32Array
}

/** Full-column size of each population: core counts exact inside the core, the rest in the annulus. */
export function populationSizes(t: Tables): { core: number[]; full: number[] } {
  const core = t.populations.map((p) => p.coreCount)
  const full = core.map((c) => Math.round((c * t.nFullColumn) / t.nCore))
  const excess = full.reduce((a, b) => a + b, 0) - t.nFullColumn
  let largest = 0
  full.forEach((f, i) => { if (f > full[largest]) largest = i })
  full[largest] -= excess
  return { core, full }
}

const columns = new Map<string, Column>()

/**
 * Generates the column of a seed. Populations in table order; inside a population first its core neurons
 * (r < core radius, exactly the published core count) then its annulus neurons, all uniform in area.
 * Node types: each population is split equally over its models, interleaved (neuron k → model k mod m).
 * Depth uniform within the population's layer range (y = −depth); tuning angle uniform in [0, 360).
 */
export function generateColumn(t: Tables, seed: number): Column {
  const key = `${seed}`
  const hit = columns.get(key)
  if (hit) return hit
  const { core, full } = populationSizes(t)
  const n = full.reduce((a, b) => a + b, 0)
  const col: Column = {
    n,
    x: new Float32Array(n), y: new Float32Array(n), z: new Float32Array(n),
    tuningAngle: new Float32Array(n), typeIndex: new Int16Array(n), popIndex: new Uint8Array(n),
    radius: new Float32Array(n),
  }
  const rs = new Stream(seed, 101)
  const Rc2 = t.coreRadius ** 2
  const R2 = t.columnRadius ** 2
  let i = 0
  t.populations.forEach((p, pi) => {
    const [d0, d1] = p.depthRange
    for (let k = 0; k < full[pi]; k++, i++) {
      const inCore = k < core[pi]
      const r = inCore ? Math.sqrt(Rc2 * rs.next()) : Math.sqrt(Rc2 + (R2 - Rc2) * rs.next())
      const phi = 2 * Math.PI * rs.next()
      col.x[i] = r * Math.cos(phi)
      col.z[i] = r * Math.sin(phi)
      col.y[i] = -(d0 + (d1 - d0) * rs.next())
      col.tuningAngle[i] = 360 * rs.next()
      col.radius[i] = Math.hypot(col.x[i], col.z[i])
      col.typeIndex[i] = p.typeIndices[(inCore ? k : k - core[pi]) % p.typeIndices.length]
      col.popIndex[i] = pi
    }
  })
  columns.set(key, col)
  return col
}

export interface SelectionOptions {
  n: number
  connectedSelection: boolean
  coreOnly: boolean
  /** Core radius of this area (400 µm V1, 400/√7.0104 µm LM). */
  coreRadius: number
  seed: number
}

/** Column indices of the neurons of an area, ascending (SPEC §7.3). */
export function selectNeurons(col: Column, o: SelectionOptions): Int32Array {
  if (!Number.isInteger(o.n)) throw new V1lmError('E_BAD_ARGUMENT', `neuron count must be an integer, got ${o.n}`, 'neurons')
  if (o.n <= 0 || o.n >= col.n) {
    if (o.n > col.n) throw new V1lmError('E_BAD_ARGUMENT', `asked for ${o.n} neurons but the column has ${col.n}; use at most ${col.n} (or 0 for all)`, 'neurons')
    return Int32Array.from({ length: col.n }, (_, i) => i)
  }
  let chosen: Int32Array
  if (o.connectedSelection) {
    chosen = nearestToAxis(col).subarray(0, o.n)
  } else {
    let pool: Int32Array
    if (o.coreOnly) {
      const ids: number[] = []
      for (let i = 0; i < col.n; i++) if (col.radius[i] < o.coreRadius) ids.push(i)
      pool = Int32Array.from(ids)
      if (o.n > pool.length) throw new V1lmError('E_BAD_ARGUMENT', `core_only selection has only ${pool.length} neurons inside r < ${o.coreRadius.toFixed(2)} µm; ask for at most that many`, 'neurons')
    } else {
      pool = Int32Array.from({ length: col.n }, (_, i) => i)
    }
    new Stream(o.seed, 102).shuffle(pool)
    chosen = pool.subarray(0, o.n)
  }
  return Int32Array.from(chosen).sort()
}

const axisOrder = new WeakMap<Column, Int32Array>()

/** Column ids sorted by distance to the axis (ties by id). */
export function nearestToAxis(col: Column): Int32Array {
  let o = axisOrder.get(col)
  if (!o) {
    const idx = Int32Array.from({ length: col.n }, (_, i) => i)
    const r = col.radius
    o = idx.sort((a, b) => r[a] - r[b] || a - b)
    axisOrder.set(col, o)
  }
  return o
}
