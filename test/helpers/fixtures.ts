/** Shared test fixtures: small random networks with explicit, seeded inputs. */
import { mulberry32, randomNetwork, type RandomNetworkOptions } from '../../lib/engine/random-network.js'
import type { EngineNetwork } from '../../lib/engine/types.js'

export function smallNetwork(opts: Partial<RandomNetworkOptions> & { areas: number[] }): EngineNetwork {
  return randomNetwork({ recurrentDegree: 6, interareaDegree: 3, nInputs: 20, lgnDegree: 4, maxDelay: 5,
    recurrentWeight: 0.8, inputWeight: 3, bkgWeight: 2, ...opts })
}

export function bernoulliArray(length: number, p: number, seed: number): Uint8Array {
  const r = mulberry32(seed)
  return Uint8Array.from({ length }, () => (r() < p ? 1 : 0))
}

export function uniformArray(length: number, lo: number, hi: number, seed: number): Float32Array {
  const r = mulberry32(seed)
  return Float32Array.from({ length }, () => lo + (hi - lo) * r())
}

export function poissonCounts(length: number, lambda: number, seed: number): Float32Array {
  const r = mulberry32(seed)
  return Float32Array.from({ length }, () => {
    let k = 0
    let p = Math.exp(-lambda)
    let f = p
    const u = r()
    while (u > f && k < 20) {
      k++
      p *= lambda / k
      f += p
    }
    return k
  })
}

/** max |a − b| / max(|b|, floor): a normalized error that is robust to entries near zero. */
export function normalizedError(a: ArrayLike<number>, b: ArrayLike<number>, floor = 1e-12): number {
  let num = 0
  let den = floor
  for (let k = 0; k < b.length; k++) {
    num = Math.max(num, Math.abs(a[k] - b[k]))
    den = Math.max(den, Math.abs(b[k]))
  }
  return num / den
}
