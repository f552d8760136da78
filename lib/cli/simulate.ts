/**
 * `v1lm simulate`: a forward simulation that prints firing rates per population. Until a network
 * directory is given it runs the built-in random GLIF network (lib/engine/random-network.ts) driven by
 * LGN spikes at a constant rate and the BKG sources.
 */
import { createEngine, randomNetwork, type AreaState, type EngineNetwork } from '../engine/index.js'
import { helpText, parseFlags, type FlagSchema } from './flags.js'
import { Progress } from './progress.js'

export const simulateFlags = {
  v1_neurons: { type: 'integer', default: 4000, help: 'neurons of the first area (V1)' },
  lm_neurons: { type: 'integer', default: 600, help: 'neurons of the second area (LM); 0 for V1 alone' },
  n_input: { type: 'integer', default: 1000, help: 'LGN units' },
  lgn_rate: { type: 'number', default: 10, help: 'LGN firing rate in Hz (spikes drawn by the engine)' },
  seq_len: { type: 'integer', default: 1000, help: 'simulated milliseconds (steps of 1 ms)' },
  batch_size: { type: 'integer', default: 1, help: 'trials simulated together' },
  seed: { type: 'integer', default: 3000, help: 'seed of the network and of the input draws' },
  backend: { type: 'string', default: 'auto', choices: ['auto', 'cpu', 'cuda'], help: 'engine backend' },
  threads: { type: 'integer', default: 0, help: 'CPU threads (0 = all cores)' },
  chunk: { type: 'integer', default: 100, help: 'steps per engine call (the state is carried between calls)' },
} satisfies FlagSchema

export function simulationNetwork(v1: number, lm: number, nInputs: number, seed: number): EngineNetwork {
  return randomNetwork({ areas: lm > 0 ? [v1, lm] : [v1], nInputs, seed, recurrentDegree: 100, interareaDegree: 20,
    lgnDegree: 15, recurrentWeight: 0.05, inputWeight: 0.2, bkgWeight: 0.25 })
}

export interface PopulationRate {
  area: string
  population: string
  neurons: number
  rateHz: number
}

export async function simulateCommand(argv: string[], out: (line: string) => void = console.log): Promise<PopulationRate[]> {
  const { values: f, help } = parseFlags(simulateFlags, argv)
  if (help) {
    out(helpText('simulate', 'Forward simulation of the built-in random V1 + LM GLIF network; prints rates per population.', simulateFlags))
    return []
  }
  const net = simulationNetwork(f.v1_neurons, f.lm_neurons, f.n_input, f.seed)
  const B = f.batch_size, T = f.seq_len
  const engine = await createEngine(net, { backend: f.backend as 'auto', batch: B, seed: f.seed, threads: f.threads })
  out(`v1lm simulate: ${net.areas.map((a) => `${a.name} ${a.n}`).join(', ')} neurons, ${engine.info().blocks.map((b) => `${b.name} ${b.size}`).join(', ')} synapses; backend ${engine.backend}`)
  const p = 1 - Math.exp(-f.lgn_rate / 1000) // SPEC §6.1
  const spikes = net.areas.map((a) => new Float64Array(a.n))
  let state: AreaState[] | undefined
  const progress = new Progress('simulate', T)
  const started = performance.now()
  for (let t0 = 0, trial = 0; t0 < T; t0 += f.chunk, trial++) {
    const steps = Math.min(f.chunk, T - t0)
    const r = await engine.forward({ steps, trial, state, keepTape: false, lgn: net.nInputs ? { probability: new Float32Array(B * steps * net.nInputs).fill(p) } : undefined,
      bins: { start: 0, size: steps, count: 1 } })
    state = r.state
    r.areas.forEach((a, k) => { for (let q = 0; q < a.counts.length; q++) spikes[k][q % net.areas[k].n] += a.counts[q] })
    progress.update(t0 + steps)
  }
  const wall = (performance.now() - started) / 1000
  engine.dispose()
  const names = ['exc', 'inh', 'exc-slow']
  const rates: PopulationRate[] = []
  net.areas.forEach((area, k) => {
    names.forEach((pop, type) => {
      let n = 0, s = 0
      for (let i = 0; i < area.n; i++) if (area.nodeTypeIndex[i] === type) { n++; s += spikes[k][i] }
      if (n) rates.push({ area: area.name, population: pop, neurons: n, rateHz: (s / (n * B * T)) * 1000 })
    })
  })
  out('area  population  neurons   rate (Hz)')
  for (const r of rates) out(`${r.area.padEnd(5)} ${r.population.padEnd(11)} ${String(r.neurons).padStart(7)}  ${r.rateHz.toFixed(2).padStart(10)}`)
  out(`simulated ${B} × ${T} ms in ${wall.toFixed(2)} s of wall time (${((wall / (B * T / 1000))).toFixed(3)} s per simulated second per trial)`)
  return rates
}
