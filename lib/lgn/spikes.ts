/**
 * A seeded uniform stream for stimulus parameters (random grating directions and phases, sparse-noise
 * layouts). LGN spikes are not drawn here: the engine draws them with Philox, and `drawLgnSpikes`
 * (lib/engine/rng.ts) returns the same draws on the host.
 */
import { V1lmError } from '../errors.js'

/** Deterministic uniform [0, 1) generator (xoshiro128**, state seeded by splitmix32), from an integer seed. */
export function uniformStream(seed: number): () => number {
  if (!Number.isInteger(seed)) throw new V1lmError('E_BAD_ARGUMENT', `seed must be an integer (got ${seed})`, 'seed')
  let z = seed >>> 0
  const mix = () => {
    z = (z + 0x9e3779b9) >>> 0
    let x = z
    x = Math.imul(x ^ (x >>> 16), 0x85ebca6b)
    x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35)
    return (x ^ (x >>> 16)) >>> 0
  }
  const s = new Uint32Array([mix(), mix(), mix(), mix()])
  return () => {
    const r = Math.imul(s[1] * 5, 1) >>> 0
    const out = (Math.imul((r << 7) | (r >>> 25), 9) >>> 0) / 2 ** 32
    const t = s[1] << 9
    s[2] ^= s[0]
    s[3] ^= s[1]
    s[1] ^= s[2]
    s[0] ^= s[3]
    s[2] ^= t
    s[3] = (s[3] << 11) | (s[3] >>> 21)
    return out
  }
}
