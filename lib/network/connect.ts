/**
 * Distance- and orientation-dependent random connectivity (Billeh rule, SPEC b1 / §8) between a source and a
 * target neuron set, with spatial binning so the cost is proportional to the pairs within the Gaussian's reach.
 *
 * Every (target, source) decision is a counter-based hash of (seed, stream, target column id, source column id):
 * the edges among any subset of neurons are exactly the edges of the full column restricted to that subset, the
 * way the reference selects neurons from one pre-built network (SPEC §7.3).
 */
import { fmix32, rowKey, toUnit } from './rng.js'
import type { ConnRule } from './tables.js'

/** A pair rule is a connection rule of the tables (SPEC §7.2; inter-area rules use the same fields, §8). */
export type PairRule = ConnRule

export interface NeuronSet {
  n: number
  x: Float32Array
  z: Float32Array
  tuningAngle: Float32Array
  /** Group of each neuron (population or laminar class) indexing the rule table. */
  group: Uint8Array
  /** Identity used in the hash (column id). */
  id: Int32Array
}

export interface ConnectOptions {
  seed: number
  stream: number
  /** rules[srcGroup * nTargetGroups + trgGroup] */
  rules: (PairRule | null)[]
  nSourceGroups: number
  nTargetGroups: number
  /** Skip pairs with the same id (recurrent: no self-connections). */
  excludeSelf: boolean
  /** Probabilities are truncated beyond cutoff·σ (exp(−cutoff²) of the mass is dropped). */
  cutoff?: number
  cellSize?: number
}

export interface EdgeList {
  post: Int32Array
  pre: Int32Array
  nsyns: Uint8Array
}

/** Growable (post, pre, nsyns) arrays. */
export class EdgeBuffer {
  post = new Int32Array(1024)
  pre = new Int32Array(1024)
  nsyns = new Uint8Array(1024)
  length = 0
  push(post: number, pre: number, nsyns: number): void {
    if (this.length === this.post.length) {
      const cap = this.length * 2
      const grow = <T extends Int32Array | Uint8Array>(a: T, C: new (n: number) => T): T => {
        const b = new C(cap)
        b.set(a)
        return b
      }
      this.post = grow(this.post, Int32Array)
      this.pre = grow(this.pre, Int32Array)
      this.nsyns = grow(this.nsyns, Uint8Array)
    }
    this.post[this.length] = post
    this.pre[this.length] = pre
    this.nsyns[this.length] = nsyns
    this.length++
  }
  finish(): EdgeList {
    return { post: this.post.slice(0, this.length), pre: this.pre.slice(0, this.length), nsyns: this.nsyns.slice(0, this.length) }
  }
}

/** Orientation difference folded to [0, 90] degrees. */
export function orientationDelta(a: number, b: number): number {
  return Math.abs(Math.abs(Math.abs(180 - Math.abs(a - b)) - 90) - 90)
}

/** Connection probability of one pair (the rule the sampler realizes; used by tests and calibration). */
export function pairProbability(r: PairRule, d2: number, dOri: number): number {
  return r.A * Math.exp(-d2 / (r.sigma * r.sigma)) * (r.B1 + r.G * dOri)
}

/** Edges sorted by (post, pre); post/pre are indices into the target/source sets. */
export function connect(src: NeuronSet, trg: NeuronSet, o: ConnectOptions): EdgeList {
  const cutoff = o.cutoff ?? 3.5
  const cell = o.cellSize ?? 60
  // --- bin sources by (group, cell)
  let minX = Infinity, minZ = Infinity, maxX = -Infinity, maxZ = -Infinity
  for (let i = 0; i < src.n; i++) {
    minX = Math.min(minX, src.x[i]); maxX = Math.max(maxX, src.x[i])
    minZ = Math.min(minZ, src.z[i]); maxZ = Math.max(maxZ, src.z[i])
  }
  const out = new EdgeBuffer()
  if (src.n === 0 || trg.n === 0) return out.finish()
  const nx = Math.floor((maxX - minX) / cell) + 1
  const nz = Math.floor((maxZ - minZ) / cell) + 1
  const nCells = nx * nz
  const G = o.nSourceGroups
  const bin = new Int32Array(src.n)
  const start = new Int32Array(G * nCells + 1)
  for (let i = 0; i < src.n; i++) {
    const cx = Math.floor((src.x[i] - minX) / cell)
    const cz = Math.floor((src.z[i] - minZ) / cell)
    bin[i] = src.group[i] * nCells + cz * nx + cx
    start[bin[i] + 1]++
  }
  for (let b = 0; b < G * nCells; b++) start[b + 1] += start[b]
  const fill = start.slice(0, G * nCells)
  const itemIdx = new Int32Array(src.n)
  const itemId = new Int32Array(src.n)
  const itemX = new Float32Array(src.n)
  const itemZ = new Float32Array(src.n)
  const itemA = new Float32Array(src.n)
  for (let i = 0; i < src.n; i++) {
    const k = fill[bin[i]]++
    itemIdx[k] = i
    itemId[k] = src.id[i]
    itemX[k] = src.x[i]
    itemZ[k] = src.z[i]
    itemA[k] = src.tuningAngle[i]
  }
  // --- per target
  let accPre = new Int32Array(4096)
  let accN = new Uint8Array(4096)
  for (let t = 0; t < trg.n; t++) {
    const tx = trg.x[t], tz = trg.z[t], ta = trg.tuningAngle[t], tid = trg.id[t]
    const key = rowKey(o.seed, o.stream, tid)
    let nAcc = 0
    for (let g = 0; g < G; g++) {
      const r = o.rules[g * o.nTargetGroups + trg.group[t]]
      if (!r) continue
      const s2 = r.sigma * r.sigma
      const R = cutoff * r.sigma
      const cx0 = Math.max(0, Math.floor((tx - R - minX) / cell)), cx1 = Math.min(nx - 1, Math.floor((tx + R - minX) / cell))
      const cz0 = Math.max(0, Math.floor((tz - R - minZ) / cell)), cz1 = Math.min(nz - 1, Math.floor((tz + R - minZ) / cell))
      const ABmax = r.A * r.Bmax
      const hasOri = r.G !== 0
      const nsynSpan = r.nsynMax - r.nsynMin
      for (let cz = cz0; cz <= cz1; cz++) {
        const z0 = minZ + cz * cell
        const dz = tz < z0 ? z0 - tz : tz > z0 + cell ? tz - z0 - cell : 0
        for (let cx = cx0; cx <= cx1; cx++) {
          const x0 = minX + cx * cell
          const dx = tx < x0 ? x0 - tx : tx > x0 + cell ? tx - x0 - cell : 0
          const dmin2 = dx * dx + dz * dz
          if (dmin2 > R * R) continue
          // integer threshold: u = h/2³² < q ⇔ h < q·2³² (pairHash inlined: this loop is the build's hot path)
          const qInt = ABmax * Math.exp(-dmin2 / s2) * 4294967296
          const b = g * nCells + cz * nx + cx
          for (let k = start[b], e = start[b + 1]; k < e; k++) {
            let h = key ^ Math.imul(itemId[k], 0x9e3779b1)
            h ^= h >>> 16
            h = Math.imul(h, 0x85ebca6b)
            h ^= h >>> 13
            h = Math.imul(h, 0xc2b2ae35)
            h = (h ^ (h >>> 16)) >>> 0
            if (h >= qInt) continue
            const u = toUnit(h)
            const ddx = itemX[k] - tx, ddz = itemZ[k] - tz
            let p = r.A * Math.exp(-(ddx * ddx + ddz * ddz) / s2)
            if (hasOri) p *= r.B1 + r.G * orientationDelta(itemA[k], ta)
            if (u >= p) continue
            if (o.excludeSelf && itemId[k] === tid) continue
            if (nAcc === accPre.length) {
              const grow = <T extends Int32Array | Uint8Array>(a: T, C: new (n: number) => T): T => { const c = new C(a.length * 2); c.set(a); return c }
              accPre = grow(accPre, Int32Array); accN = grow(accN, Uint8Array)
            }
            accPre[nAcc] = itemIdx[k]
            accN[nAcc] = r.nsynMin + (fmix32((h ^ 0x68e31da4) >>> 0) % nsynSpan)
            nAcc++
          }
        }
      }
    }
    if (nAcc === 0) continue
    // sort this target's sources by pre (pre is unique per target)
    const keys = new Float64Array(nAcc)
    for (let a = 0; a < nAcc; a++) keys[a] = accPre[a] * 65536 + a
    keys.sort()
    for (let a = 0; a < nAcc; a++) {
      const j = keys[a] % 65536
      out.push(t, accPre[j], accN[j])
    }
  }
  return out.finish()
}
