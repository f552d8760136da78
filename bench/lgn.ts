/**
 * LGN timing: rates of the 17,400 units for a drifting-grating movie (default 2,500 ms) on the CPU and/or
 * CUDA backend, with the stage breakdown the addon reports, and the CPU–CUDA difference when both run.
 * Build: `npx tsc -p . && npx tsc bench/lgn.ts --module nodenext --target es2022 --skipLibCheck --types node`
 * Run:   `node bench/lgn.js [--steps 2500] [--backend cpu|cuda|both] [--repeats 3] [--threads N] [--no-probabilities]`
 */
import { lgnRates, lgnFilters, type LgnResponse } from '../dist/lgn/rates.js'
import { loadLgnUnits } from '../dist/lgn/units.js'
import { driftingGrating } from '../dist/stimuli/gratings.js'
import { backends } from '../dist/native.js'

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? process.argv[i + 1] : fallback
}

const steps = Number(arg('steps', '2500'))
const which = arg('backend', 'both')
const repeats = Number(arg('repeats', '3'))
const threads = arg('threads', '')
const probabilities = !process.argv.includes('--no-probabilities')
const b = backends()
const card = b.cuda.devices[0]?.name ?? 'none'
console.log(JSON.stringify({ steps, units: 17400, probabilities, cpuThreads: b.cpu.threads, cuda: b.cuda.available, card, reason: b.cuda.reason }))

const units = loadLgnUnits()
let t0 = performance.now()
lgnFilters(units)
console.log(JSON.stringify({ stage: 'filters (TS kernels + native upload)', ms: +(performance.now() - t0).toFixed(1) }))
const movie = driftingGrating({ duration: steps - 100, direction: 45, phase: 30, contrast: 0.8, preDelay: 100 })

async function run(backend: 'cpu' | 'cuda'): Promise<LgnResponse> {
  let last: LgnResponse | undefined
  for (let i = 0; i < repeats; i++) {
    t0 = performance.now()
    last = await lgnRates(movie, units, { backend, probabilities, ...(threads ? { threads: Number(threads) } : {}) })
    const wall = performance.now() - t0
    const tm = last.timing
    console.log(JSON.stringify({ backend, repeat: i, wallMs: +wall.toFixed(1), uploadMs: +tm.uploadMs.toFixed(2),
      spatialMs: +tm.spatialMs.toFixed(2), temporalMs: +tm.temporalMs.toFixed(2), downloadMs: +tm.downloadMs.toFixed(2),
      nativeTotalMs: +tm.totalMs.toFixed(2), deviceComputeMs: +(tm.spatialMs + tm.temporalMs).toFixed(2) }))
  }
  return last!
}

const cpu = which === 'cpu' || which === 'both' ? await run('cpu') : undefined
const cuda = (which === 'cuda' || which === 'both') && b.cuda.available ? await run('cuda') : undefined
if (cpu && cuda) {
  let maxAbs = 0, maxRel = 0, maxP = 0, maxRate = 0
  for (let i = 0; i < cpu.rates.length; i++) {
    const d = Math.abs(cpu.rates[i] - cuda.rates[i])
    maxAbs = Math.max(maxAbs, d)
    maxRel = Math.max(maxRel, d / Math.max(Math.abs(cpu.rates[i]), 1e-3))
    maxRate = Math.max(maxRate, cpu.rates[i])
    if (cpu.probabilities && cuda.probabilities) maxP = Math.max(maxP, Math.abs(cpu.probabilities[i] - cuda.probabilities[i]))
  }
  console.log(JSON.stringify({ parity: 'cpu vs cuda', maxAbsHz: maxAbs, maxRelative: maxRel, maxProbabilityDiff: maxP, maxRateHz: maxRate }))
}
