/** Shared test fixtures: small random networks with explicit, seeded inputs. */
import { mulberry32, randomNetwork, type RandomNetworkOptions } from '../../lib/engine/random-network.js'
import type { EngineNetwork, NeuronTypeParams } from '../../lib/engine/types.js'

/** A passive type (no after-spike currents). */
export const quiet: NeuronTypeParams = { V_th: -50, E_L: -70, g: 5, C_m: 100, t_ref: 2.2, k: [0.1, 0.3], asc_amps: [0, 0] }

/**
 * Neuron 0 (a driver the LGN input makes spike on demand) → neuron 1 with one synapse 'rec' of weight w,
 * receptor r, delay d; LGN unit 0 → neuron 0 with weight lgnWeight ('lgn').
 */
export function pair(w: number, receptor: number, delay: number, tRef = 2.2, lgnWeight = 5000): EngineNetwork {
  return {
    nInputs: 1,
    nBkgSources: 100,
    areas: [{ name: 'v1', n: 2, types: [{ ...quiet, t_ref: tRef }], nodeTypeIndex: Int32Array.from([0, 0]) }],
    blocks: [
      { name: 'rec', kind: 'recurrent', target: 0, source: 0, pre: Int32Array.of(0), post: Int32Array.of(1), receptor: Uint8Array.of(receptor), delay: Uint8Array.of(delay), weight: Float32Array.of(w) },
      { name: 'lgn', kind: 'lgn', target: 0, source: -1, pre: Int32Array.of(0), post: Int32Array.of(0), receptor: Uint8Array.of(0), weight: Float32Array.of(lgnWeight) },
    ],
  }
}

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
