/**
 * Deterministic randomness of the builder. Two kinds:
 * - `pairUniform`: a counter-based hash of (seed, stream, a, b) → [0, 1). Connection decisions use it so that the
 *   edges among any neuron subset are exactly the full column's edges restricted to that subset (SPEC §7.3).
 * - `Stream`: a small sequential generator (sfc32) for positions, angles, sources of BKG edges, selections.
 */

/** murmur3 finalizer: a bijection of uint32 with good avalanche. */
export function fmix32(h: number): number {
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

const INV32 = 1 / 4294967296

/** Per-row key: fmix32 of (seed, stream, a). Combine with `pairHash` for each b. */
export function rowKey(seed: number, stream: number, a: number): number {
  return fmix32((fmix32((seed ^ Math.imul(stream + 1, 0x9e3779b1)) >>> 0) + Math.imul(a, 0x27d4eb2f)) >>> 0)
}

/** Hash of (row key, b): distinct b give distinct values within a row (the map is a bijection in b). */
export function pairHash(key: number, b: number): number {
  return fmix32((key ^ Math.imul(b, 0x9e3779b1)) >>> 0)
}

export function toUnit(h: number): number {
  return h * INV32
}

/** sfc32: small fast counter generator (PractRand-clean), seeded through splitmix-like mixing. */
export class Stream {
  private a: number
  private b: number
  private c: number
  private d: number
  constructor(seed: number, stream = 0) {
    this.a = fmix32(seed ^ 0x9e3779b9)
    this.b = fmix32((seed + Math.imul(stream, 0x85ebca6b)) >>> 0)
    this.c = fmix32((stream ^ 0xc2b2ae35) >>> 0)
    this.d = 1
    for (let i = 0; i < 12; i++) this.nextU32()
  }
  nextU32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0
    this.d = (this.d + 1) | 0
    this.a = this.b ^ (this.b >>> 9)
    this.b = (this.c + (this.c << 3)) | 0
    this.c = (this.c << 21) | (this.c >>> 11)
    this.c = (this.c + t) | 0
    return t >>> 0
  }
  /** Uniform [0, 1). */
  next(): number {
    return this.nextU32() * INV32
  }
  /** Uniform integer in [lo, hi). */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo))
  }
  /** Poisson(λ) by inversion (small λ only). */
  poisson(lambda: number): number {
    const L = Math.exp(-lambda)
    let k = 0
    let p = this.next()
    while (p > L) {
      k++
      p *= this.next()
    }
    return k
  }
  /** In-place Fisher–Yates shuffle. */
  shuffle<T extends { length: number; [i: number]: number }>(arr: T): T {
    for (let i = arr.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1))
      const t = arr[i]
      arr[i] = arr[j]
      arr[j] = t
    }
    return arr
  }
}
