// W1 at 500 steps: forward wall time by the form of its LGN input (probabilities as the bench, drawn spikes,
// zero probabilities, none), with the V1 / LM rates. Usage: node .gpu/lgnvar.mjs
import { performance } from 'node:perf_hooks'
import { buildNetworksInParallel } from '../dist/bench/networks.js'
import { loadNetwork } from '../dist/network/format.js'
import { createEngine } from '../dist/engine/index.js'
import { trainFlags } from '../dist/train/flags.js'
import { lgnProbability, lgnSpikes, rasterRateHz } from '../dist/bench/synthetic.js'
const [b] = await buildNetworksInParallel([{ label: 'W1', options: { v1Neurons: 10000, realisticNeuronsRatio: true, nOutput: 0 } }], 'bench/.networks', () => {})
const net = loadNetwork(b.dir)
const d = (k) => trainFlags[k].default
const engine = await createEngine(net, { maxDelay: net.maxDelay, lrScale: d('lr_scale'), hardReset: d('hard_reset'), dampeningFactor: d('dampening_factor'), gaussStd: d('gauss_std'),
  pseudoGauss: d('pseudo_gauss'), recurrentDampeningFactor: d('recurrent_dampening_factor'), backend: 'cuda', batch: 1, seed: 1, backwardStepsPerPass: 3 })
const blocks = net.blocks.map((x) => x.name)
const median = (a) => { const s = [...a].sort((x, y) => x - y); return s[s.length >> 1] }
const T = 500
const prob = lgnProbability(1, T, net.nInputs, 20, 2)
const zero = new Float32Array(prob.length)
const variants = [['probability', { probability: prob }], ['zero probability', { probability: zero }], ['zero current', { current: zero }], ['zero spikes', { spikes: new Uint8Array(prob.length) }], ['spikes', { spikes: lgnSpikes(prob, 3) }], ['none', null]]
console.log(`nInputs ${net.nInputs}; variant  fwd_ms  bwd_ms  V1Hz LMHz`)
for (const [name, lgn] of variants) {
  const request = { steps: T, keepTape: true, bins: { start: 0, size: T, count: 1 }, ...(lgn ? { lgn } : {}) }
  const adjoints = { areas: net.areas.map((a) => ({ counts: new Float32Array(a.n).fill(1e-3), voltageRegularizer: 0.1 })), trainable: blocks }
  const fw = [], bw = []
  let rates = []
  for (let k = 0; k < 12; k++) {
    const t0 = performance.now()
    const out = await engine.forward({ ...request, trial: k })
    const t1 = performance.now()
    await engine.backward(adjoints)
    const t2 = performance.now()
    if (k >= 2) fw.push(t1 - t0), bw.push(t2 - t1)
    rates = out.areas.map((o, i) => rasterRateHz(o.raster, 1, T, net.areas[i].n).toFixed(1))
  }
  console.log(`${name}: ${median(fw).toFixed(2)} ${median(bw).toFixed(2)} ${rates.join(' ')}`)
}
engine.dispose()
