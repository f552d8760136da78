/**
 * Firing rates per cell type of a built (untrained) network on the engine: spontaneous (gray screen, SPEC §9.2)
 * and evoked (drifting gratings, SPEC §9.1). Used to check the builder's default input weights
 * (docs/network.md "Calibration of the untrained network") and by scripts/network-rates.mjs.
 */
import { V1lmError } from '../errors.js'
import { createEngine } from '../engine/index.js'
import { lgnRates } from '../lgn/rates.js'
import { loadLgnUnits, type LgnUnits } from '../lgn/units.js'
import { CELL_TYPES, cellTypeIndices } from '../losses/celltypes.js'
import { driftingGrating, grayScreen } from '../stimuli/index.js'
import type { Network } from './types.js'

export interface RateOptions {
  /** Steps of each trial (ms, default 500); the first `skip` are not counted. */
  steps?: number
  /** Leading steps dropped from the rate (transient from the zero state; default 100). */
  skip?: number
  /** Grating directions in degrees, one batch element each (default 0, 90, 180, 270). */
  directions?: number[]
  /** Engine options. */
  seed?: number
  threads?: number
  connectRecurrent?: boolean
  connectNoise?: boolean
  /** false: gray screen only (evoked rates reported as NaN). Default true. */
  evoked?: boolean
  /** false: no LGN input (BKG alone). */
  lgn?: boolean
  units?: LgnUnits
}

export interface TypeRates {
  /** Cell type → neurons in the area. */
  count: Record<string, number>
  /** Cell type → mean rate (Hz) over neurons, batch elements and counted steps. */
  spontaneous: Record<string, number>
  evoked: Record<string, number>
}

async function probabilities(movies: ReturnType<typeof grayScreen>[], nIn: number, units: LgnUnits): Promise<Float32Array> {
  const T = movies[0].steps
  const out = new Float32Array(movies.length * T * nIn)
  for (let b = 0; b < movies.length; b++) {
    const r = await lgnRates(movies[b], units, { backend: 'cpu', cache: movies[b].key.startsWith('gray') })
    const p = r.probabilities!
    for (let t = 0; t < T; t++) out.set(p.subarray(t * r.units, t * r.units + nIn), (b * T + t) * nIn)
  }
  return out
}

/**
 * Mean rate per cell type of area `areaIndex` (default V1) in gray screen and under drifting gratings
 * (cpd 0.04, 2 Hz, contrast 0.8 as the training set, SPEC §9.1), each from the zero state, on the CPU engine.
 */
export async function measureTypeRates(net: Network, o: RateOptions = {}, areaIndex = 0): Promise<Record<string, TypeRates>> {
  const steps = o.steps ?? 500, skip = o.skip ?? 100
  if (!(skip >= 0 && skip < steps)) throw new V1lmError('E_BAD_ARGUMENT', `skip (${skip}) must lie in [0, steps = ${steps})`, 'skip')
  const dirs = o.directions ?? [0, 90, 180, 270]
  const B = dirs.length
  const units = o.units ?? loadLgnUnits()
  const engine = await createEngine(net, {
    backend: 'cpu', batch: B, seed: o.seed ?? 1, maxDelay: net.maxDelay, threads: o.threads ?? 0,
    connectRecurrent: o.connectRecurrent ?? true, connectNoise: o.connectNoise ?? true,
  })
  const nIn = net.nInputs
  const useLgn = o.lgn ?? true
  const run = async (prob: Float32Array, trial: number) => {
    const lgn = useLgn ? { probability: prob } : { probability: new Float32Array(prob.length) }
    const r = await engine.forward({ steps, trial, lgn, bins: { start: skip, size: steps - skip, count: 1 }, keepTape: false })
    return r.areas.map((a) => a.counts)
  }
  const gray = await probabilities(Array.from({ length: B }, () => grayScreen(steps)), nIn, units)
  const spont = await run(gray, 1)
  const evoked = o.evoked ?? true
    ? await run(await probabilities(dirs.map((d) => driftingGrating({ duration: steps, direction: d })), nIn, units), 2)
    : spont.map((c) => c.map(() => NaN))
  engine.dispose()
  const out: Record<string, TypeRates> = {}
  net.areas.forEach((area, ai) => {
    if (areaIndex >= 0 && ai !== areaIndex) return
    const type = cellTypeIndices(Array.from(area.nodeTypeIndex, (k) => area.popName[k]))
    const res: TypeRates = { count: {}, spontaneous: {}, evoked: {} }
    for (const [k, name] of CELL_TYPES.entries()) {
      let n = 0, s = 0, e = 0
      for (let i = 0; i < area.n; i++) {
        if (type[i] !== k) continue
        n++
        for (let b = 0; b < B; b++) { s += spont[ai][b * area.n + i]; e += evoked[ai][b * area.n + i] }
      }
      if (n === 0) continue
      const norm = 1000 / (n * B * (steps - skip))
      res.count[name] = n
      res.spontaneous[name] = s * norm
      res.evoked[name] = e * norm
    }
    out[area.name] = res
  })
  return out
}
