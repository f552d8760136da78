/**
 * The engine's counter-based RNG on the host (native/include/v1lm/philox.h): the same LGN spikes and BKG
 * counts a trial draws inside the engine, for analysis and tests.
 */
import { fromNative } from '../errors.js'
import { loadAddon } from '../native.js'

interface RngAddon {
  philox4x32(counter: Uint32Array, key: Uint32Array): Uint32Array
  drawLgnSpikes(seed: number, trial: number, batch: number, steps: number, nInputs: number, probability: Float32Array): Uint8Array
  drawBkgCounts(seed: number, trial: number, batch: number, steps: number, area: number, nSources: number): Float32Array
}
const addon = () => loadAddon() as unknown as RngAddon
function call<T>(f: () => T): T {
  try {
    return f()
  } catch (err) {
    throw fromNative(err)
  }
}

/** One Philox4x32-10 block (Random123). */
export function philox4x32(counter: Uint32Array, key: Uint32Array): Uint32Array {
  return call(() => addon().philox4x32(counter, key))
}

/** The LGN spikes (B·T·nInputs) that a trial with this seed and trial counter draws from `probability`. */
export function drawLgnSpikes(seed: number, trial: number, batch: number, steps: number, nInputs: number, probability: Float32Array): Uint8Array {
  return call(() => addon().drawLgnSpikes(seed, trial, batch, steps, nInputs, probability))
}

/** The BKG counts (B·T·nSources) that area `area` draws in a trial. */
export function drawBkgCounts(seed: number, trial: number, batch: number, steps: number, area: number, nSources = 100): Float32Array {
  return call(() => addon().drawBkgCounts(seed, trial, batch, steps, area, nSources))
}
