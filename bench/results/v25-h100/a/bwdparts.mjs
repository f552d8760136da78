// W1 backward wall time by what is trainable (which weight gradients the passes compute), interleaved.
// Usage: node .gpu/bwdparts.mjs [rounds]
import { performance } from 'node:perf_hooks'
import { buildNetworksInParallel } from '../dist/bench/networks.js'
import { loadNetwork } from '../dist/network/format.js'
import { createEngine } from '../dist/engine/index.js'
import { trainFlags } from '../dist/train/flags.js'
import { lgnProbability } from '../dist/bench/synthetic.js'
const rounds = Number(process.argv[2] ?? 2)
const [b] = await buildNetworksInParallel([{ label: 'W1', options: { v1Neurons: 10000, realisticNeuronsRatio: true, nOutput: 0 } }], 'bench/.networks', () => {})
const net = loadNetwork(b.dir)
const d = (k) => trainFlags[k].default
const engine = await createEngine(net, { maxDelay: net.maxDelay, lrScale: d('lr_scale'), hardReset: d('hard_reset'), dampeningFactor: d('dampening_factor'), gaussStd: d('gauss_std'),
  pseudoGauss: d('pseudo_gauss'), recurrentDampeningFactor: d('recurrent_dampening_factor'), backend: 'cuda', batch: 1, seed: 1, backwardStepsPerPass: 3 })
console.log('blocks:', net.blocks.map((x) => `${x.name}:${x.kind}:${x.weight.length}`).join(' '))
const median = (a) => { const s = [...a].sort((x, y) => x - y); return s[s.length >> 1] }
const T = 500
const prob = lgnProbability(1, T, net.nInputs, 20, 2)
const request = { steps: T, keepTape: true, bins: { start: 0, size: T, count: 1 }, lgn: { probability: prob } }
const sets = {
  all: net.blocks.map((x) => x.name),
  delayed: net.blocks.filter((x) => x.kind === 'recurrent' || x.kind === 'interarea').map((x) => x.name),
  noLgn: net.blocks.filter((x) => x.kind !== 'lgn').map((x) => x.name),
  noBkg: net.blocks.filter((x) => x.kind !== 'bkg').map((x) => x.name),
  none: [],
}
for (let r = 0; r < rounds; r++) for (const [name, trainable] of Object.entries(sets)) {
  const adjoints = { areas: net.areas.map((a) => ({ counts: new Float32Array(a.n).fill(1e-3), voltageRegularizer: 0.1 })), trainable }
  const fw = [], bw = []
  for (let k = 0; k < 12; k++) {
    const t0 = performance.now()
    await engine.forward({ ...request, trial: k })
    const t1 = performance.now()
    await engine.backward(adjoints)
    const t2 = performance.now()
    if (k >= 2) fw.push(t1 - t0), bw.push(t2 - t1)
  }
  console.log(`round ${r} ${name.padEnd(8)} fwd ${median(fw).toFixed(2)} bwd ${median(bw).toFixed(2)}`)
}
engine.dispose()
