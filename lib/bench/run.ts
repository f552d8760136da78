/**
 * Benchmark harness (`npm run bench` → node dist/bench/run.js [W1 W2 F ...] [--trials N] [--out dir]):
 * ms per trial split into forward / backward / update (medians over N trials after 2 warm-up trials),
 * effective GB/s of the backward synapse stream, peak device memory, card, firing rates; JSON into
 * bench/results/ and a table printed last. Workloads (issue "CUDA backend"): synthetic networks with the
 * workload's neuron counts and the production in-degrees (lib/bench/synthetic.ts).
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { helpText, parseFlags, type FlagSchema } from '../cli/flags.js'
import { V1lmError } from '../errors.js'
import { backends, loadAddon, resolveBackend } from '../native.js'
import type { RawEngine } from './parity.js'
import { lgnProbability, lgnSpikes, rasterRateHz, syntheticNetwork } from './synthetic.js'

interface Workload {
  name: string
  nV1: number
  nLm: number
  batch: number
  steps: number
  train: boolean
}
const WORKLOADS: Record<string, Workload> = {
  W1: { name: 'W1', nV1: 10000, nLm: 1426, batch: 1, steps: 500, train: true },
  W2: { name: 'W2', nV1: 100000, nLm: 30000, batch: 6, steps: 500, train: true },
  F: { name: 'F', nV1: 100000, nLm: 30000, batch: 10, steps: 2500, train: false },
}

interface Result {
  workload: string
  card: string
  backend: string
  batch: number
  steps: number
  neurons: number
  synapses: number
  trials: number
  forwardMs: number
  backwardMs: number
  updateMs: number
  totalMs: number
  backwardGBs: number
  peakDeviceBytes: number
  rateV1Hz: number
  rateLmHz: number
  buildSeconds: number
  backwardStepsPerPass: number
}

const median = (x: number[]): number => {
  const s = [...x].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

async function runWorkload(w: Workload, trials: number, backend: string, stepsPerPass: number): Promise<Result> {
  const t0 = performance.now()
  const net = syntheticNetwork({ nV1: w.nV1, nLm: w.nLm, seed: 1 })
  const engine = (await (loadAddon().createEngine as (n: object, o: object) => Promise<RawEngine>)(net, { backend, batch: w.batch, seed: 1, backwardStepsPerPass: stepsPerPass }))
  const buildSeconds = (performance.now() - t0) / 1000
  const p = lgnProbability(w.batch, w.steps, net.nInputs, 20, 2)
  // F passes drawn LGN spikes (bytes) instead of probabilities: 4× less to copy for 2,500 steps × batch 10.
  const lgn = w.train ? { probability: p } : { spikes: lgnSpikes(p, 3) }
  const bins = { start: 0, size: w.steps, count: 1 }
  const request = { steps: w.steps, trial: 0, keepTape: w.train, bins, lgn }
  const blocks = net.blocks.map((b) => b.name)
  const adjoints = {
    areas: net.areas.map((a) => ({ counts: new Float32Array(w.batch * a.n).fill(1e-3), voltageRegularizer: 0.1 })),
    trainable: blocks,
  }
  const fw: number[] = []
  const bw: number[] = []
  const up: number[] = []
  let rateV1 = 0
  let rateLm = 0
  for (let k = 0; k < trials + 2; k++) {
    const a = performance.now()
    const out = await engine.forward({ ...request, trial: k })
    const b = performance.now()
    if (w.train) {
      await engine.backward(adjoints)
      const c = performance.now()
      await engine.update({ algorithm: 'adam', learningRate: 1e-6, step: k + 1, blocks })
      const d = performance.now()
      if (k >= 2) bw.push(c - b), up.push(d - c)
    }
    if (k >= 2) fw.push(b - a)
    rateV1 = rasterRateHz(out.areas[0].raster, w.batch, w.steps, w.nV1)
    rateLm = rasterRateHz(out.areas[1].raster, w.batch, w.steps, w.nLm)
  }
  // The backward pull streams every recurrent / inter-area synapse (4 B post row + 4 B weight) each step.
  const delayedSynapses = net.blocks.filter((b) => b.kind === 'recurrent' || b.kind === 'interarea').reduce((s, b) => s + b.weight.length, 0)
  const backwardMs = w.train ? median(bw) : 0
  const info = engine.info()
  engine.dispose()
  const cuda = backends().cuda
  return {
    workload: w.name, card: backend === 'cuda' ? cuda.devices[0]?.name ?? '?' : 'cpu', backend: info.backend, batch: w.batch, steps: w.steps,
    neurons: w.nV1 + w.nLm, synapses: net.blocks.reduce((s, b) => s + b.weight.length, 0), trials,
    forwardMs: median(fw), backwardMs, updateMs: w.train ? median(up) : 0,
    totalMs: median(fw) + backwardMs + (w.train ? median(up) : 0),
    backwardGBs: w.train ? (delayedSynapses * 8 * w.steps) / (backwardMs * 1e6) : 0,
    peakDeviceBytes: info.peakDeviceBytes, rateV1Hz: rateV1, rateLmHz: rateLm, buildSeconds, backwardStepsPerPass: stepsPerPass,
  }
}

function table(rows: Result[]): string {
  const head = ['workload', 'card', 'B', 'T', 'forward ms', 'backward ms', 'update ms', 'total ms', 'bwd GB/s', 'peak GiB', 'V1/LM Hz']
  const lines = rows.map((r) => [
    r.workload, r.card, String(r.batch), String(r.steps), r.forwardMs.toFixed(1), r.backwardMs.toFixed(1), r.updateMs.toFixed(2),
    r.totalMs.toFixed(1), r.backwardGBs.toFixed(0), (r.peakDeviceBytes / 2 ** 30).toFixed(2), `${r.rateV1Hz.toFixed(1)}/${r.rateLmHz.toFixed(1)}`,
  ])
  const width = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)))
  const fmt = (l: string[]): string => l.map((x, i) => x.padStart(width[i])).join('  ')
  return [fmt(head), ...lines.map(fmt)].join('\n')
}

export const benchFlags = {
  trials: { type: 'integer', default: 10, help: 'timed trials per workload (after 2 warm-up trials)' },
  out: { type: 'string', default: 'bench/results', help: 'folder of the JSON results' },
  backend: { type: 'string', default: 'auto', choices: ['auto', 'cpu', 'cuda'], help: 'engine backend' },
  'steps-per-pass': { type: 'integer', default: 3, help: 'backward steps per pass over the synapses (temporal blocking, 1–3)' },
} satisfies FlagSchema

/** `v1lm bench [W1 W2 F] [--trials N] [--out DIR] [--backend B]`; `npm run bench` runs every workload. */
export async function benchCommand(argv: string[], out: (line: string) => void = console.log): Promise<void> {
  const { values: f, positional, help } = parseFlags(benchFlags, argv)
  if (help) {
    out(helpText('bench', `Engine benchmark: workloads ${Object.keys(WORKLOADS).join(', ')} (default: all); JSON into --out, a table last.`, benchFlags))
    return
  }
  const backend = resolveBackend(f.backend as 'auto')
  const chosen = (positional.length ? positional : Object.keys(WORKLOADS)).map((n) => {
    const w = WORKLOADS[n]
    if (!w) throw new V1lmError('E_BAD_ARGUMENT', `unknown workload '${n}' (known: ${Object.keys(WORKLOADS).join(', ')})`, 'workload')
    return w
  })
  const rows: Result[] = []
  for (const w of chosen) {
    const r = await runWorkload(w, f.trials, backend, f['steps-per-pass'])
    rows.push(r)
    out(JSON.stringify(r))
  }
  mkdirSync(f.out, { recursive: true })
  const stamp = new Date().toISOString().replace(/[:.]/g, '-')
  writeFileSync(join(f.out, `bench-${stamp}.json`), JSON.stringify({ date: new Date().toISOString(), results: rows }, null, 2))
  out(table(rows))
}

// `node dist/bench/run.js ...` (npm run bench) runs the harness directly.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  benchCommand(process.argv.slice(2)).catch((err: unknown) => {
    console.error(err)
    process.exit(1)
  })
}
