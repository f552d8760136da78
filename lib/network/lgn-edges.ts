/**
 * LGN → V1 edges (SPEC §6.2): the Billeh source-selection rule (per target: a Poisson-drawn preferred temporal
 * frequency, elliptical ON/OFF subfields oriented by the target's tuning angle, sustained ON or OFF by sON_ratio,
 * two-subunit cells within 15° of the target orientation), with N_syn synapses per edge.
 */
import { LGN_MODEL_IDS, loadLgnUnits } from '../lgn/units.js'
import { Stream } from './rng.js'
import type { Tables } from './tables.js'
import { orientationDelta } from './connect.js'

/** The columns of the LGN unit table the edge rule needs (reference frame 240×120 degrees, SPEC §6.1). */
export interface LgnUnitColumns {
  n: number
  /** Azimuth, degrees in [0, 240). */
  x: Float32Array
  /** Elevation, degrees in [0, 120). */
  y: Float32Array
  /** Per unit: index into LGN_MODEL_IDS (lib/lgn/units.ts). */
  model: Uint8Array
  /** Degrees; meaningful for the two-subunit classes. */
  tuningAngle: Float32Array
}

/** The edge rule's view of the LGN unit table of lib/lgn/units.ts (only the columns it needs). */
export function loadLgnUnitColumns(file?: string): LgnUnitColumns {
  const u = loadLgnUnits(file)
  return { n: u.count, x: Float32Array.from(u.x), y: Float32Array.from(u.y), model: u.modelIndex, tuningAngle: Float32Array.from(u.tuningAngle) }
}

export interface LgnTargets {
  n: number
  x: Float32Array
  z: Float32Array
  tuningAngle: Float32Array
  pop: Uint8Array
  id: Int32Array
}

const SUBUNIT_TF: Record<string, number[]> = { sON: [1, 2, 4, 8], sOFF: [1, 2, 4, 8, 15], tOFF: [4, 8, 15] }

/** Selection probability of each subunit TF given the cell's TF (Billeh rule). */
function subunitProbabilities(tf: number, tfs: number[]): number[] {
  const sum = tfs.reduce((a, s) => a + Math.abs(tf - s), 0)
  return tfs.map((s) => (1 - Math.abs(tf - s) / sum) / (tfs.length - 1))
}

const lindeg = (um: number, f: number) => (Math.tan((f * um * Math.PI) / 180) * 180) / Math.PI

/** Edges (post = target index, pre = LGN unit) sorted by (post, pre), with nsyns per edge. */
export function connectLgn(units: LgnUnitColumns, trg: LgnTargets, t: Tables, seed: number, frame: [number, number] = [240, 120]) {
  // grid of units per model, 5° cells
  const cell = 5
  const nx = Math.ceil(frame[0] / cell) + 1, ny = Math.ceil(frame[1] / cell) + 1
  const M = LGN_MODEL_IDS.length
  const start = new Int32Array(M * nx * ny + 1)
  const binOf = (k: number) => units.model[k] * nx * ny + clampCell(units.y[k], ny) * nx + clampCell(units.x[k], nx)
  function clampCell(v: number, nmax: number) { return Math.min(nmax - 1, Math.max(0, Math.floor(v / cell))) }
  for (let k = 0; k < units.n; k++) start[binOf(k) + 1]++
  for (let b = 0; b < M * nx * ny; b++) start[b + 1] += start[b]
  const fill = start.slice(0, M * nx * ny)
  const items = new Int32Array(units.n)
  for (let k = 0; k < units.n; k++) items[fill[binOf(k)]++] = k
  const subTypeOf = LGN_MODEL_IDS.map((m) => (m.startsWith('sONsOFF') || m.startsWith('sONtOFF') ? 'two' : m.split('_')[0]))
  const tfOf = LGN_MODEL_IDS.map((m) => Number(m.split('_TF')[1] ?? 0))

  const post: number[] = []
  const pre: number[] = []
  const nsyns: number[] = []
  const picked: number[] = []
  for (let i = 0; i < trg.n; i++) {
    const pop = trg.pop[i]
    const r = t.lgn.rules[pop]
    if (!r || r.N_syn <= 0 || r.probability <= 0) continue
    const rs = new Stream(seed, 0x1a000000 + trg.id[i])
    if (rs.next() > r.probability) continue
    const cx0 = frame[0] / 2 + lindeg(trg.x[i], 0.07)
    const cy0 = frame[1] / 2 + lindeg(trg.z[i], 0.04)
    const theta = trg.tuningAngle[i]
    const half = (r.centers_d_min + rs.next() * (r.centers_d_max - r.centers_d_min)) / 2
    const b0 = (r.ON_OFF_w_min + rs.next() * (r.ON_OFF_w_max - r.ON_OFF_w_min)) / 2
    const a0 = b0 * (r.aspectRatio_min + rs.next() * (r.aspectRatio_max - r.aspectRatio_min))
    const phi = ((theta + 270) * Math.PI) / 180
    const cm = Math.cos(-phi), sm = Math.sin(-phi)
    const sustained = rs.next() < r.sON_ratio ? 'sON' : 'sOFF'
    let tf = rs.poisson(r.poissonParameter)
    while (tf <= 0) tf = rs.poisson(r.poissonParameter)
    const prob: Record<string, number[]> = {
      sON: subunitProbabilities(tf, SUBUNIT_TF.sON), sOFF: subunitProbabilities(tf, SUBUNIT_TF.sOFF), tOFF: subunitProbabilities(tf, SUBUNIT_TF.tOFF),
    }
    picked.length = 0
    for (let m = 0; m < M; m++) {
      const kind = subTypeOf[m]
      let ex: number, ey: number, ea: number, eb: number
      if (kind === 'tOFF') { ex = cx0 + half * sm; ey = cy0 + half * cm; ea = a0; eb = b0 }
      else if (kind === 'sON' || kind === 'sOFF') { ex = cx0 - half * sm; ey = cy0 - half * cm; ea = a0; eb = b0 }
      else { ex = cx0; ey = cy0; eb = half / 2; ea = b0 }
      const pSel = kind === 'two' ? 1 : prob[kind][SUBUNIT_TF[kind].indexOf(tfOf[m])]
      const wanted = kind === 'two' || kind === 'tOFF' || kind === sustained
      if (!wanted) continue
      const reach = Math.max(ea, eb)
      const gx0 = clampCell(ex - reach, nx), gx1 = clampCell(ex + reach, nx)
      const gy0 = clampCell(ey - reach, ny), gy1 = clampCell(ey + reach, ny)
      for (let gy = gy0; gy <= gy1; gy++) for (let gx = gx0; gx <= gx1; gx++) {
        const b = m * nx * ny + gy * nx + gx
        for (let k = start[b]; k < start[b + 1]; k++) {
          const u = items[k]
          const dx = units.x[u] - ex, dy = units.y[u] - ey
          const xr = dx * cm - dy * sm, yr = dx * sm + dy * cm
          if ((xr / ea) ** 2 + (yr / eb) ** 2 > 1) continue
          if (kind === 'two') {
            if (orientationDelta(theta, units.tuningAngle[u]) < 15) picked.push(u)
          } else if (rs.next() < pSel) picked.push(u)
        }
      }
    }
    picked.sort((a, b) => a - b)
    for (const u of picked) { post.push(i); pre.push(u); nsyns.push(r.N_syn) }
  }
  return { post: Int32Array.from(post), pre: Int32Array.from(pre), nsyns: Int32Array.from(nsyns) }
}
