/**
 * Small seeded RNG for the losses (xoshiro128**, seeded through splitmix32).
 * The reference draws these numbers from numpy RandomState / TF stateful ops (SPEC §11.6b); v1lm does not
 * reproduce those exact streams, only their distributions. The state is four uint32 words, so it can be saved
 * in a checkpoint (`state()`) and restored (`LossRng.fromState`) to resume a run exactly.
 */
import { V1lmError } from '../errors.js'

function splitmix32(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s + 0x9e3779b9) >>> 0
    let z = s
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0
    return (z ^ (z >>> 16)) >>> 0
  }
}

export class LossRng {
  private readonly s = new Uint32Array(4)

  /** Seeds from a non-negative integer (< 2^53) and an optional stream number (e.g. one per area/loss). */
  constructor(seed: number, stream = 0) {
    if (!Number.isSafeInteger(seed) || seed < 0 || !Number.isSafeInteger(stream) || stream < 0) {
      throw new V1lmError('E_BAD_ARGUMENT', `LossRng seed and stream must be non-negative integers (got ${seed}, ${stream})`, 'seed')
    }
    const hi = Math.floor(seed / 2 ** 32)
    const mix = splitmix32((seed >>> 0) ^ Math.imul(hi, 0x27d4eb2d) ^ Math.imul(stream + 1, 0x165667b1))
    for (let i = 0; i < 4; i++) this.s[i] = mix()
    if ((this.s[0] | this.s[1] | this.s[2] | this.s[3]) === 0) this.s[0] = 1
  }

  static fromState(state: readonly number[]): LossRng {
    if (state.length !== 4 || state.some((w) => !Number.isInteger(w) || w < 0 || w > 0xffffffff) || state.every((w) => w === 0)) {
      throw new V1lmError('E_BAD_ARGUMENT', 'LossRng state must be 4 uint32 words, not all zero', 'state')
    }
    const r = new LossRng(0)
    r.s.set(state)
    return r
  }

  state(): number[] {
    return Array.from(this.s)
  }

  /** Next uint32 (xoshiro128**). */
  nextU32(): number {
    const s = this.s
    const result = Math.imul(rotl(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0
    const t = (s[1] << 9) >>> 0
    s[2] ^= s[0]
    s[3] ^= s[1]
    s[1] ^= s[2]
    s[0] ^= s[3]
    s[2] ^= t
    s[3] = rotl(s[3], 11)
    return result
  }

  /** Uniform in [0, 1) with 53 random bits. */
  uniform(): number {
    const a = this.nextU32() >>> 5
    const b = this.nextU32() >>> 6
    return (a * 67108864 + b) / 9007199254740992
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n)
  }

  /** Standard normal (Box–Muller, one value per call). */
  normal(): number {
    let u = this.uniform()
    while (u === 0) u = this.uniform()
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.uniform())
  }

  /** Fisher–Yates shuffle in place. */
  shuffle<T extends { length: number; [i: number]: number }>(a: T): T {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1)
      const x = a[i]
      a[i] = a[j]
      a[j] = x
    }
    return a
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0
}
