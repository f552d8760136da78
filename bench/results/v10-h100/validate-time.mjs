// Host cost of Engine::validate for a W2-sized LGN probability array (B 6 × T 500 × 17,400 = 52.2 M floats):
// the last value is out of range, so forward scans everything and rejects before the backend runs.
import { createEngine, randomNetwork } from '../dist/index.js'
const B = 6, T = 500, nInputs = 17400
const net = randomNetwork({ areas: [200], nInputs, seed: 1 })
import { backends } from '../dist/index.js'
for (const backend of backends().cuda.available ? ['cuda', 'cpu'] : ['cpu']) for (const threads of backend === 'cpu' ? [1, 8] : [0]) {
  const eng = await createEngine(net, { backend, batch: B, maxDelay: 5, ...(threads ? { threads } : {}) })
  const prob = new Float32Array(B * T * nInputs).fill(0.01)
  prob[prob.length - 1] = 2
  const ms = []
  for (let k = 0; k < 7; k++) {
    const a = performance.now()
    try { await eng.forward({ steps: T, lgn: { probability: prob } }) } catch (e) { if (k === 0) console.log(e.code, e.message.slice(0, 80)) }
    ms.push(performance.now() - a)
  }
  ms.sort((x, y) => x - y)
  console.log(`validate ${backend}${threads ? ' threads ' + threads : ''}: median ${ms[3].toFixed(2)} ms, min ${ms[0].toFixed(2)} ms`)
  eng.dispose()
}
