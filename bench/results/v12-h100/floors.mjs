// Floors of the bench workloads on the built networks at the rates the v12 GPU runs measured; run from the
// project root after `npx tsc -p .`: node bench/results/v12-h100/floors.mjs (builds W2 and C into bench/.networks).
import { buildNetworksInParallel } from '../../../dist/bench/networks.js'
import { loadNetwork } from '../../../dist/network/format.js'
import { createEngine } from '../../../dist/engine/index.js'
import { workloadFloors } from '../../../dist/bench/floors.js'
import { lgnProbability } from '../../../dist/bench/synthetic.js'
const jobs = [
  { label: 'W2', options: { v1Neurons: 100000, realisticNeuronsRatio: false, lmNeurons: 30000, nOutput: 0 } },
  { label: 'C', options: { v1Neurons: 230924, realisticNeuronsRatio: true, nOutput: 0 } },
  { label: 'W1', options: { v1Neurons: 10000, realisticNeuronsRatio: true, nOutput: 0 } },
]
const nets = await buildNetworksInParallel(jobs, 'bench/.networks', console.log)
const runs = { // workload: [network index, batch, steps, train, rates V1/LM of the v12 runs]
  'W1 (H100 v12)': [2, 1, 500, true, 14.0, 3.0], 'W2 (H100 v12)': [0, 6, 500, true, 13.4, 3.2],
  'F (H100 v12)': [0, 10, 2500, false, 12.5, 3.0], 'C (H200 v12)': [1, 6, 500, true, 13.1, 4.0],
}
const cache = new Map()
for (const [name, [k, batch, steps, train, r1, r2]] of Object.entries(runs)) {
  if (!cache.has(k)) {
    const net = loadNetwork(nets[k].dir)
    const engine = await createEngine(net, { backend: 'cpu', batch: 1, maxDelay: net.maxDelay })
    const info = engine.info()  // receptor slots R of each area, as the engines compile them
    engine.dispose()
    const areas = net.areas.map((a, i) => {
      const slots = info.areas[i].slots
      const delayedOut = net.blocks.filter((b) => b.source === i && (b.kind === 'recurrent' || b.kind === 'interarea')).reduce((s, b) => s + b.weight.length, 0)
      return { n: a.n, slots, delayedOut }
    })
    const lgnSynapses = net.blocks.filter((b) => b.kind === 'lgn').reduce((s, b) => s + b.weight.length, 0)
    const p = lgnProbability(1, 1, net.nInputs, 20, 2)
    cache.set(k, { areas, lgnSynapses, lgnProbability: p.reduce((s, x) => s + x, 0) / p.length })
  }
  const c = cache.get(k)
  const f = workloadFloors({ batch, steps, train, stepsPerPass: 3, areas: c.areas.map((a, i) => ({ ...a, rateHz: [r1, r2][i] })), lgnSynapses: c.lgnSynapses, lgnProbability: c.lgnProbability })
  console.log(name, JSON.stringify(c.areas), 'lgn', c.lgnSynapses, c.lgnProbability.toFixed(4), Object.fromEntries(Object.entries(f).map(([x, v]) => [x, v === null ? null : +v.toPrecision(4)])))
}
