/**
 * Per-epoch figures of a training run (SPEC §11.5), as SVG and PNG: loss curves, model vs Neuropixels rate
 * box plots per cell type (evoked and spontaneous), tuning curves of the last evoked trial, and a raster of
 * the last spontaneous + evoked trials (LGN, then each area in laminar order, SPEC §12.4).
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { drawLgnSpikes, spikeAt } from '../engine/index.js'
import { CELL_TYPES, cellTypeOfPopName, type CellType } from '../losses/celltypes.js'
import { loadNeuropixelsUnits, rateSamplesHz } from '../losses/targets.js'
import type { Network } from '../network/index.js'
import { boxPlot, linePlot, rasterPlot, renderPng } from '../report/svg.js'
import type { EpochRecord } from './trainer.js'
import type { ResolvedRun, TrainConfig } from './setup.js'

export interface TrialRecord {
  raster: Uint32Array[]
  /** Per area, B·1·n spike counts in the trimmed window. */
  counts: Float32Array[]
  angles: number[]
  probability: Float32Array
  trial: number
  spontaneous: boolean
}

function save(dir: string, name: string, svg: string): void {
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, `${name}.svg`), svg)
  writeFileSync(join(dir, `${name}.png`), renderPng(svg))
}

/** Per-neuron rate (Hz) of batch-averaged trimmed counts. */
function neuronRates(counts: Float32Array, n: number, batch: number, steps: number): Float64Array {
  const r = new Float64Array(n)
  for (let q = 0; q < counts.length; q++) r[q % n] += counts[q]
  return r.map((x) => (x / (batch * steps)) * 1000)
}

export function rateBoxPlot(network: Network, area: number, rates: Float64Array, session: 'evoked' | 'spontaneous', title: string): string {
  const a = network.areas[area]
  const byType = new Map<CellType, number[]>()
  for (let i = 0; i < a.n; i++) {
    const t = cellTypeOfPopName(a.popName[a.nodeTypeIndex[i]])
    if (!byType.has(t)) byType.set(t, [])
    byType.get(t)!.push(rates[i])
  }
  const data = rateSamplesHz(loadNeuropixelsUnits(a.name as 'v1' | 'lm'), session)
  const groups = CELL_TYPES.filter((t) => byType.has(t)).map((t) => ({ label: t, samples: [byType.get(t)!, data[t] ?? []] }))
  return boxPlot({ title, ylabel: 'rate (Hz)', groups, sampleNames: ['model', 'Neuropixels'] })
}

/** Neurons of an area ordered by layer, class and preferred angle (the reference's raster order). */
function laminarOrder(network: Network, area: number, maxRows: number): { rows: number[]; bands: { label: string; start: number; end: number }[] } {
  const a = network.areas[area]
  const types = CELL_TYPES as readonly string[]
  const key = (i: number) => types.indexOf(cellTypeOfPopName(a.popName[a.nodeTypeIndex[i]]))
  const all = Array.from({ length: a.n }, (_, i) => i).sort((x, y) => key(x) - key(y) || a.tuningAngle[x] - a.tuningAngle[y] || x - y)
  const stride = Math.max(1, Math.ceil(a.n / maxRows))
  const rows = all.filter((_, k) => k % stride === 0)
  const bands: { label: string; start: number; end: number }[] = []
  rows.forEach((i, r) => {
    const label = `${a.name} ${types[key(i)].split(' ')[0]}`
    if (bands.length && bands[bands.length - 1].label === label) bands[bands.length - 1].end = r + 1
    else bands.push({ label, start: r, end: r + 1 })
  })
  return { rows, bands }
}

export function epochFigures(logdir: string, epoch: number, history: EpochRecord[], last: TrialRecord[], network: Network, c: TrainConfig, run: ResolvedRun): void {
  const x = history.map((h) => h.epoch)
  save(join(logdir, 'Loss_curves'), 'losses_curves_epoch', linePlot({
    title: 'Training loss per epoch', xlabel: 'epoch', ylabel: 'loss', logY: true,
    series: (['loss', 'rate', 'voltage', 'regularizer', 'osi', 'sync'] as const).map((k) => ({ name: k, x, y: history.map((h) => h[k]) })).filter((s) => s.y.some((v) => v > 0)),
  }))
  const steps = c.seq_len - run.delays[0] - run.delays[1]
  for (const rec of last) {
    network.areas.forEach((a, k) => {
      const rates = neuronRates(rec.counts[k], a.n, c.batch_size, steps)
      const session = rec.spontaneous ? 'spontaneous' : 'evoked'
      const dir = rec.spontaneous ? join(logdir, 'Boxplots', 'Spontaneous') : join(logdir, 'Boxplots', 'Ave_Rate(Hz)')
      save(dir, `epoch_${epoch}_${a.name}`, rateBoxPlot(network, k, rates, session, `${a.name.toUpperCase()} ${session} rates, epoch ${epoch}`))
      if (!rec.spontaneous) {
        // Tuning: mean rate of neurons whose preferred direction is within ±10° of 0, 45, …, 315 (batch element 0).
        const r0 = neuronRates(rec.counts[k].subarray(0, a.n), a.n, 1, steps)
        const centres = [0, 45, 90, 135, 180, 225, 270, 315]
        const series = CELL_TYPES.filter((t) => t.endsWith('Exc') || t.endsWith('PV')).map((t) => ({
          name: t, x: centres,
          y: centres.map((cDeg) => {
            let s = 0, n = 0
            for (let i = 0; i < a.n; i++) {
              const d = Math.abs(((a.tuningAngle[i] - cDeg + 540) % 360) - 180)
              if (d <= 10 && cellTypeOfPopName(a.popName[a.nodeTypeIndex[i]]) === t) { s += r0[i]; n++ }
            }
            return n ? s / n : NaN
          }),
        })).filter((s) => s.y.some(Number.isFinite))
        save(join(logdir, 'OneShotTuningAnalysis', 'Tuning_curves', a.name), `epoch_${epoch}`,
          linePlot({ title: `${a.name.toUpperCase()} tuning, stimulus ${rec.angles[0].toFixed(0)}°, epoch ${epoch}`, xlabel: 'preferred direction (°)', ylabel: 'rate (Hz)', series }))
      }
    })
  }
  // Raster: the last spontaneous and evoked trials side by side (batch element 0).
  const T = c.seq_len, nIn = network.nInputs
  const lgnRows = Math.min(150, nIn)
  const lgn = last.map((rec) => drawLgnSpikes(c.seed, rec.trial, c.batch_size, T, nIn, rec.probability))
  const bands = [{ label: 'LGN', rows: lgnRows, color: '#7f7f7f', spikes: (t: number, r: number) => {
    const k = t < T ? 0 : 1
    const u = Math.floor((r * nIn) / lgnRows)
    return lgn[k] !== undefined && lgn[k][((t % T) * nIn) + u] === 1
  } }]
  network.areas.forEach((a, area) => {
    const { rows, bands: lam } = laminarOrder(network, area, 300)
    for (const b of lam) bands.push({ label: b.label, rows: b.end - b.start, color: '', spikes: (t: number, r: number) => {
      const rec = last[t < T ? 0 : 1]
      return rec !== undefined && spikeAt(rec.raster[area], a.n, T, 0, t % T, rows[b.start + r])
    } })
  })
  for (const b of bands) if (!b.color) delete (b as { color?: string }).color
  save(join(logdir, 'Raster_plots', 'Full'), `Epoch_${epoch}_complete`, rasterPlot({ title: `Spontaneous | evoked (${last[1]?.angles[0].toFixed(0) ?? '-'}°), epoch ${epoch}`, steps: last.length * T, bands }))
}
