/**
 * Benchmark harness (`npm run bench` → node dist/bench/run.js [W1 W2 F C] [--network built|synthetic] [--trials N]
 * [--out dir]): ms per trial split into forward / backward / update (medians over N trials after 2 warm-up
 * trials), the workload's physical floor (lib/bench/floors.ts) and the time's multiple of it, effective GB/s of
 * the backward synapse stream, peak device memory, card, firing rates; JSON into --out and a table printed last.
 * Networks (issue 7): `built` (default) are the builder's
 * networks of the project's tables at the workload's sizes (lib/bench/networks.ts: built once into --cache, all
 * builds in parallel child processes); `synthetic` are the random networks with the production in-degrees
 * (lib/bench/synthetic.ts) of docs/perf-notes.md's history.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { helpText, parseFlags, type FlagSchema } from '../cli/flags.js'
import { createEngine, type AdjointPrecision, type Engine, type EngineNetwork, type EngineOptions } from '../engine/index.js'
import { V1lmError } from '../errors.js'
import { backends, resolveBackend } from '../native.js'
import type { BuildOptions } from '../network/build.js'
import { V1_LM_RATIO } from '../network/column.js'
import { loadNetwork } from '../network/format.js'
import { trainFlags } from '../train/flags.js'
import { backwardFloorMs, ratesOfCard, workloadFloors, type Floors } from './floors.js'
import { buildNetworksInParallel, type BuiltNetwork } from './networks.js'
import { lgnProbability, lgnSpikes, rasterRateHz, syntheticNetwork } from './synthetic.js'

interface Workload {
  name: string
  nV1: number
  /** LM neurons; with lmByRatio the builder's default n_LM = int(n_V1 / 7.0104) (SPEC §7.3), which gives this number. */
  nLm: number
  lmByRatio: boolean
  batch: number
  steps: number
  train: boolean
}
const WORKLOADS: Record<string, Workload> = {
  W1: { name: 'W1', nV1: 10000, nLm: 1426, lmByRatio: true, batch: 1, steps: 500, train: true },
  W2: { name: 'W2', nV1: 100000, nLm: 30000, lmByRatio: false, batch: 6, steps: 500, train: true },
  F: { name: 'F', nV1: 100000, nLm: 30000, lmByRatio: false, batch: 10, steps: 2500, train: false },
  // The whole column (lib/network/column.ts: 230,924 neurons, radius 845 µm) and its LM by the default ratio.
  C: { name: 'C', nV1: 230924, nLm: 32940, lmByRatio: true, batch: 6, steps: 500, train: true },
}
/** Workloads run when none is named; C (the full column, ≈ 6 min of build on 2 cores) only when asked. */
const DEFAULT_WORKLOADS = ['W1', 'W2', 'F']
type NetworkKind = 'built' | 'synthetic'

interface Row {
  workload: string
  network: NetworkKind
  card: string
  backend: string
  batch: number
  steps: number
  /** Factor on the workload's neuron counts (--scale; 1 = the sizes). */
  scale: number
  neurons: number
  neuronsV1: number
  neuronsLm: number
  synapses: number
  /** Recurrent + inter-area synapses: what the backward pull streams every step. */
  delayedSynapses: number
  /** delayedSynapses × 8 B × steps at 3.08 TB/s (docs/perf-notes.md "Floors"); null for the forward-only F. */
  backwardFloorMs: number | null
  /** The network: the builder's child process (build and save, or cache load) or the synthetic generator. */
  buildSeconds: number
  /** Built networks: whether the cache already held it; null for synthetic. */
  cached: boolean | null
  /** Built networks: loading the cached folder in this process. */
  loadSeconds: number
  engineSeconds: number
  /** Backward steps per pass over the synapses (temporal blocking, --steps-per-pass). */
  backwardStepsPerPass: number
  /** Storage of dL/dI in the backward (--adjoint_precision). */
  adjointPrecision: AdjointPrecision
}
interface Measured extends Row {
  trials: number
  /** Each measured trial's times in run order (ms; backward and update empty for F): the spread behind the medians. */
  trialMs: { forward: number[]; backward: number[]; update: number[] }
  forwardMs: number
  backwardMs: number
  updateMs: number
  totalMs: number
  backwardGBs: number
  peakDeviceBytes: number
  rateV1Hz: number
  rateLmHz: number
  /** The physical floor on an H100 at the run's rates (lib/bench/floors.ts: push atomics, neuron state, backward stream, launches). */
  floors: Floors
  /** totalMs / floors.totalMs. */
  timesFloor: number
  /** The same floor at the rates measured on the card that ran (floors.ts ratesOfCard), or null where none were. */
  cardFloors: Floors | null
  /** totalMs / cardFloors.totalMs, or null. */
  timesCardFloor: number | null
}
/** A workload that did not fit (E_OUT_OF_MEMORY): the row with the engine's error instead of times. */
interface Failed extends Row {
  error: { code: string; message: string; field?: string }
}
export type Result = Measured | Failed

const median = (x: number[]): number => {
  const s = [...x].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

type Sized = Workload & { scale: number }
function sized(w: Workload, scale: number, batch: number): Sized {
  const nV1 = Math.max(1, Math.round(w.nV1 * scale))
  const nLm = w.lmByRatio ? Math.floor(nV1 / V1_LM_RATIO) : Math.max(1, Math.round(w.nLm * scale))
  return { ...w, nV1, nLm, scale, batch: batch || w.batch }
}

/** The builder's options of a workload: the project's tables, default seed, no readouts (training on gratings builds none). */
function benchBuildOptions(w: Sized): BuildOptions {
  return { v1Neurons: w.nV1, ...(w.lmByRatio ? { realisticNeuronsRatio: true } : { realisticNeuronsRatio: false, lmNeurons: w.nLm }), nOutput: 0 }
}

/** Engine options as `v1lm train` passes them, at the flags' defaults (SPEC §3.4, §4). */
function trainingEngineOptions(maxDelay: number): EngineOptions {
  const d = (k: keyof typeof trainFlags) => trainFlags[k].default as never
  return {
    maxDelay, lrScale: d('lr_scale'), hardReset: d('hard_reset'), dampeningFactor: d('dampening_factor'), gaussStd: d('gauss_std'),
    pseudoGauss: d('pseudo_gauss'), recurrentDampeningFactor: d('recurrent_dampening_factor'),
  }
}

interface Prepared {
  net: EngineNetwork
  options: EngineOptions
  network: NetworkKind
  buildSeconds: number
  cached: boolean | null
  loadSeconds: number
}

async function runWorkload(w: Sized, p: Prepared, trials: number, backend: 'cpu' | 'cuda', stepsPerPass: number, adjointPrecision: AdjointPrecision): Promise<Result> {
  const { net } = p
  // The synapses of the blocks of these kinds (from area `source`), or of them those that `keep` counts.
  const count = (kinds: string[], source?: number, keep: (b: (typeof net.blocks)[number]) => number = (b) => b.weight.length) =>
    net.blocks.filter((b) => kinds.includes(b.kind) && (source === undefined || b.source === source)).reduce((s, b) => s + keep(b), 0)
  const delayedSynapses = count(['recurrent', 'interarea'])
  // The delayed synapses of delay 1 from area `source` (a block without delays: all of its synapses).
  const delay1 = (source: number) =>
    count(['recurrent', 'interarea'], source, (b) => (b.delay ? b.delay.reduce((k, x) => k + (x <= 1 ? 1 : 0), 0) : b.weight.length))
  const row: Row = {
    workload: w.name, network: p.network, card: backend === 'cuda' ? backends().cuda.devices[0]?.name ?? '?' : 'cpu', backend, batch: w.batch, steps: w.steps,
    scale: w.scale, neurons: net.areas.reduce((s, a) => s + a.n, 0), neuronsV1: net.areas[0].n, neuronsLm: net.areas[1]?.n ?? 0,
    synapses: count(['recurrent', 'interarea', 'lgn', 'bkg']), delayedSynapses,
    // The backward pull streams every recurrent / inter-area synapse (4 B post row + 4 B weight) each step.
    backwardFloorMs: w.train ? backwardFloorMs(delayedSynapses, w.steps) : null,
    buildSeconds: p.buildSeconds, cached: p.cached, loadSeconds: p.loadSeconds, engineSeconds: 0, backwardStepsPerPass: stepsPerPass,
    adjointPrecision,
  }
  let engine: Engine | undefined
  try {
    const t0 = performance.now()
    engine = await createEngine(net, { ...p.options, backend, batch: w.batch, seed: 1, backwardStepsPerPass: stepsPerPass, adjointPrecision })
    row.engineSeconds = (performance.now() - t0) / 1000
    const prob = lgnProbability(w.batch, w.steps, net.nInputs, 20, 2)
    // F passes drawn LGN spikes (bytes) instead of probabilities: 4× less to copy for 2,500 steps × batch 10.
    const lgn = w.train ? { probability: prob } : { spikes: lgnSpikes(prob, 3) }
    const request = { steps: w.steps, keepTape: w.train, bins: { start: 0, size: w.steps, count: 1 }, lgn }
    const blocks = net.blocks.map((b) => b.name)
    const adjoints = {
      areas: net.areas.map((a) => ({ counts: new Float32Array(w.batch * a.n).fill(1e-3), voltageRegularizer: 0.1 })),
      trainable: blocks,
    }
    const fw: number[] = []
    const bw: number[] = []
    const up: number[] = []
    let rates = [0, 0]
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
      rates = out.areas.map((o, i) => rasterRateHz(o.raster, w.batch, w.steps, net.areas[i].n))
    }
    const backwardMs = w.train ? median(bw) : 0
    const updateMs = w.train ? median(up) : 0
    const totalMs = median(fw) + backwardMs + updateMs
    const info = engine.info()
    const floorInput = {
      batch: w.batch, steps: w.steps, train: w.train, stepsPerPass, fusedSteps: info.fusedSteps, splitPush: info.splitPush,
      areas: info.areas.map((a, i) => ({ n: a.n, slots: a.slots, rateHz: rates[i] ?? 0, delayedOut: count(['recurrent', 'interarea'], i), delay1Out: delay1(i) })),
      // Every (batch element, step) of lgnProbability repeats one rate vector: its first nInputs hold the mean.
      lgnSynapses: count(['lgn']), lgnProbability: net.nInputs ? prob.subarray(0, net.nInputs).reduce((s, x) => s + x, 0) / net.nInputs : 0,
    }
    const floors = workloadFloors(floorInput)
    const cardRates = ratesOfCard(row.card)  // null for 'cpu' and unmeasured cards
    const cardFloors = cardRates ? workloadFloors({ ...floorInput, rates: cardRates }) : null
    return {
      ...row, trials, trialMs: { forward: fw, backward: bw, update: up }, forwardMs: median(fw), backwardMs, updateMs, totalMs,
      backwardGBs: w.train ? (delayedSynapses * 8 * w.steps) / (backwardMs * 1e6) : 0,
      peakDeviceBytes: info.peakDeviceBytes, rateV1Hz: rates[0], rateLmHz: rates[1] ?? 0, floors, timesFloor: totalMs / floors.totalMs,
      cardFloors, timesCardFloor: cardFloors ? totalMs / cardFloors.totalMs : null,
    }
  } catch (err) {
    if (err instanceof V1lmError && err.code === 'E_OUT_OF_MEMORY') return { ...row, error: { code: err.code, message: err.message, ...(err.field ? { field: err.field } : {}) } }
    throw err
  } finally {
    engine?.dispose()
  }
}

function table(rows: Result[]): string {
  // floor ms / ×floor: on an H100 (issue 7's card); card floor / ×card: at the rates measured on the card that ran.
  const head = ['workload', 'net', 'card', 'B', 'T', 'dI', 'neurons', 'synapses', 'fwd ms', 'bwd ms', 'upd ms', 'total ms', 'floor ms', '×floor', 'bwd GB/s', 'peak GiB', 'V1/LM Hz', 'card floor', '×card', 'build s']
  const lines = rows.map((r) => {
    const base = [r.workload, r.network, r.card, String(r.batch), String(r.steps), r.adjointPrecision === 'bfloat16' ? 'bf16' : 'f32', String(r.neurons), `${(r.synapses / 1e6).toFixed(1)}M`]
    const build = `${r.buildSeconds.toFixed(1)}${r.cached ? ' cached' : ''}`
    if ('error' in r) return [...base, r.error.code, '', '', '', '—', '', '', '', r.error.message.slice(0, 40), '', '', build]
    return [...base, r.forwardMs.toFixed(1), r.backwardMs.toFixed(1), r.updateMs.toFixed(2), r.totalMs.toFixed(1), r.floors.totalMs.toFixed(1), r.timesFloor.toFixed(1), r.backwardGBs.toFixed(0),
      (r.peakDeviceBytes / 2 ** 30).toFixed(2), `${r.rateV1Hz.toFixed(1)}/${r.rateLmHz.toFixed(1)}`,
      r.cardFloors ? r.cardFloors.totalMs.toFixed(1) : '—', r.timesCardFloor !== null ? r.timesCardFloor.toFixed(1) : '—', build]
  })
  const width = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)))
  const fmt = (l: string[]): string => l.map((x, i) => x.padStart(width[i])).join('  ')
  return [fmt(head), ...lines.map(fmt)].join('\n')
}

export const benchFlags = {
  network: { type: 'string', default: 'built', choices: ['built', 'synthetic'], help: 'built: the builder\'s networks of the project\'s tables (cached in --cache); synthetic: random networks with the production in-degrees' },
  cache: { type: 'string', default: 'bench/.networks', help: 'cache folder of the built networks (built once, reused by later runs)' },
  scale: { type: 'number', default: 1, help: 'factor on every workload\'s neuron counts, in (0, 1] (e.g. 0.02 for a quick check on the CPU; 1 = the issue\'s sizes)' },
  batch: { type: 'integer', default: 0, help: 'batch size of every chosen workload (0 = each workload\'s own: W1 1, W2 6, F 10, C 6)' },
  trials: { type: 'integer', default: 10, help: 'timed trials per workload (after 2 warm-up trials)' },
  out: { type: 'string', default: 'bench/results', help: 'folder of the JSON results' },
  backend: { type: 'string', default: 'auto', choices: ['auto', 'cpu', 'cuda'], help: 'engine backend' },
  steps_per_pass: { type: 'integer', default: 3, help: 'backward steps per pass over the synapses (temporal blocking, 1–3)' },
  adjoint_precision: { type: 'string', default: 'float32', choices: ['float32', 'bfloat16'], help: 'storage of the neuron adjoints dL/dI in the backward (the table\'s dI column)' },
  build_only: { type: 'boolean', default: false, help: 'build the chosen workloads\' networks into --cache (or find them there), print one JSON line per network and stop: no engine, no trials' },
} satisfies FlagSchema

/** Built networks: one child process per distinct build (W2 and F share theirs), all at once; keyed by the build's options. */
async function buildBenchNetworks(chosen: Sized[], cache: string, progress: (line: string) => void): Promise<Map<string, BuiltNetwork>> {
  const jobs = new Map<string, { label: string; options: BuildOptions }>()
  for (const w of chosen) {
    const options = benchBuildOptions(w)
    const key = JSON.stringify(options)
    const job = jobs.get(key)
    if (job) job.label += `/${w.name}`
    else jobs.set(key, { label: w.name, options })
  }
  const t0 = performance.now()
  const nets = await buildNetworksInParallel([...jobs.values()], cache, progress)
  progress(`bench: ${nets.length} network(s) ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`)
  return new Map([...jobs.keys()].map((key, k) => [key, nets[k]]))
}

/**
 * `v1lm bench [W1 W2 F C] [--network built|synthetic] [--cache DIR] [--scale X] [--batch N] [--trials N] [--out DIR] [--backend B]
 * [--steps_per_pass G] [--adjoint_precision float32|bfloat16] [--build_only]`;
 * rows as JSON lines and a table last on `out`, build progress on `progress`. Returns the rows (none with --build_only,
 * which prints one JSON line per network built or found in the cache).
 */
export async function benchCommand(argv: string[], out: (line: string) => void = console.log, progress: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Promise<Result[]> {
  const { values: f, positional, help } = parseFlags(benchFlags, argv)
  if (help) {
    out(helpText('bench', `Engine benchmark: workloads ${Object.keys(WORKLOADS).join(', ')} (default: ${DEFAULT_WORKLOADS.join(' ')}; C is the full column); JSON into --out, a table last, each time beside the workload's physical floor on an H100 at the run's firing rates (floor ms, ×floor) and, on an H100 or H200, at that card's own measured rates (card floor, ×card).`, benchFlags))
    return []
  }
  if (!(f.scale > 0 && f.scale <= 1)) throw new V1lmError('E_BAD_ARGUMENT', `--scale must lie in (0, 1], got ${f.scale}`, 'scale')
  if (!(f.batch >= 0)) throw new V1lmError('E_BAD_ARGUMENT', `--batch must be a positive integer (0 = the workload's own), got ${f.batch}`, 'batch')
  if (!(f.trials >= 1)) throw new V1lmError('E_BAD_ARGUMENT', `--trials must be at least 1, got ${f.trials}`, 'trials')
  const network = f.network as NetworkKind
  const chosen = (positional.length ? positional : DEFAULT_WORKLOADS).map((n) => {
    const w = WORKLOADS[n]
    if (!w) throw new V1lmError('E_BAD_ARGUMENT', `unknown workload '${n}' (known: ${Object.keys(WORKLOADS).join(', ')})`, 'workload')
    return sized(w, f.scale, f.batch)
  })
  if (f.build_only) {
    if (network !== 'built') throw new V1lmError('E_BAD_ARGUMENT', '--build_only builds the builder\'s networks: use it with --network built', 'build_only')
    const nets = await buildBenchNetworks(chosen, f.cache, progress)
    for (const n of nets.values()) out(JSON.stringify(n))
    return []
  }
  const backend = resolveBackend(f.backend as 'auto')
  // Built networks, all before the first run.
  const built = network === 'built' ? await buildBenchNetworks(chosen, f.cache, progress) : new Map<string, BuiltNetwork>()
  const rows: Result[] = []
  for (const w of chosen) {
    let prepared: Prepared
    if (network === 'built') {
      const b = built.get(JSON.stringify(benchBuildOptions(w)))!
      const t0 = performance.now()
      const net = loadNetwork(b.dir)
      prepared = { net, options: trainingEngineOptions(net.maxDelay), network, buildSeconds: b.buildSeconds, cached: b.cached, loadSeconds: (performance.now() - t0) / 1000 }
    } else {
      const t0 = performance.now()
      const net = syntheticNetwork({ nV1: w.nV1, nLm: w.nLm, seed: 1 })
      prepared = { net, options: {}, network, buildSeconds: (performance.now() - t0) / 1000, cached: null, loadSeconds: 0 }
    }
    progress(`bench: ${w.name}: running ${f.trials} + 2 trials`)
    const r = await runWorkload(w, prepared, f.trials, backend, f.steps_per_pass, f.adjoint_precision as AdjointPrecision)
    rows.push(r)
    out(JSON.stringify(r))
  }
  mkdirSync(f.out, { recursive: true })
  const stamp = new Date().toISOString().replace(/[:.]/g, '-')
  writeFileSync(join(f.out, `bench-${stamp}.json`), JSON.stringify({ date: new Date().toISOString(), network, scale: f.scale, results: rows }, null, 2))
  out(table(rows))
  return rows
}

// `node dist/bench/run.js ...` (npm run bench) runs the harness directly.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  benchCommand(process.argv.slice(2)).catch((err: unknown) => {
    console.error(err)
    process.exit(1)
  })
}
