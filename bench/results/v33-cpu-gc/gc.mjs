// Many forward calls with ≈ 100 MB of results each: how often does V8 run a full GC, and does memory stay bounded?
import { createEngine } from '/work/main/dist/engine/index.js'
import { randomNetwork } from '/work/main/dist/engine/random-network.js'
const net = randomNetwork({ areas: [20000, 2000], seed: 5, recurrentDegree: 2, interareaDegree: 1, nInputs: 20, lgnDegree: 2, maxDelay: 5, recurrentWeight: 0.8, inputWeight: 3, bkgWeight: 2 })
const B = 4, T = 300
const eng = await createEngine(net, { backend: 'cpu', batch: B, seed: 3 })
const p = new Float32Array(B * T * net.nInputs).fill(0.05)
const calls = Number(process.argv[2] ?? 40)
let maxRss = 0
const t0 = performance.now()
for (let k = 0; k < calls; k++) {
  const r = await eng.forward({ steps: T, trial: k, recordVoltages: true, lgn: { probability: p } })
  if (k === 0) console.log('result MB', (r.areas.reduce((s, a) => s + a.voltages.byteLength + a.raster.byteLength, 0) / 2 ** 20).toFixed(1))
  maxRss = Math.max(maxRss, process.memoryUsage().rss)
}
console.log('calls', calls, 'ms', (performance.now() - t0).toFixed(0), 'max rss MB', (maxRss / 2 ** 20).toFixed(0), 'external MB', (process.memoryUsage().external / 2 ** 20).toFixed(0))
eng.dispose()
