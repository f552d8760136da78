// Philox4x32-10 known answers, statistics of the engine's draws, and drawn inputs = explicit inputs.
import t from 'tap'
import { createEngine, drawBkgCounts, drawLgnSpikes, philox4x32, randomNetwork } from '../lib/engine/index.js'

t.test('Philox4x32-10 matches the Random123 known-answer vectors', async (t) => {
  const hex = (x: Uint32Array) => Array.from(x, (v) => v.toString(16).padStart(8, '0')).join(' ')
  t.equal(hex(philox4x32(Uint32Array.of(0, 0, 0, 0), Uint32Array.of(0, 0))), '6627e8d5 e169c58d bc57ac4c 9b00dbd8')
  t.equal(hex(philox4x32(new Uint32Array(4).fill(0xffffffff), new Uint32Array(2).fill(0xffffffff))), '408f276d 41c83b0e a20bc7c6 6d5451fd')
  t.equal(hex(philox4x32(Uint32Array.of(0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344), Uint32Array.of(0xa4093822, 0x299f31d0))),
    'd16cfe09 94fdcceb 5001e420 24126ea1')
})

t.test('BKG counts are Poisson(0.25) and independent across areas and trials', async (t) => {
  const c = drawBkgCounts(7, 0, 2, 5000, 0, 100)
  let sum = 0, sq = 0
  for (const x of c) { sum += x; sq += x * x }
  const mean = sum / c.length, variance = sq / c.length - mean * mean
  // 1e6 draws: the standard error of the mean is 0.0005.
  t.ok(Math.abs(mean - 0.25) < 0.003, `mean ${mean.toFixed(4)} ≈ 0.25`)
  t.ok(Math.abs(variance - 0.25) < 0.005, `variance ${variance.toFixed(4)} ≈ 0.25`)
  const zeros = c.filter((x) => x === 0).length / c.length
  t.ok(Math.abs(zeros - Math.exp(-0.25)) < 0.003, `P(0) ${zeros.toFixed(4)} ≈ e^-0.25`)
  t.notSame(drawBkgCounts(7, 0, 1, 50, 1, 100), drawBkgCounts(7, 0, 1, 50, 0, 100), 'areas draw different counts')
  t.notSame(drawBkgCounts(7, 1, 1, 50, 0, 100), drawBkgCounts(7, 0, 1, 50, 0, 100), 'trials draw different counts')
  t.same(drawBkgCounts(7, 3, 1, 50, 0, 100), drawBkgCounts(7, 3, 1, 50, 0, 100), 'same key, same counts')
})

t.test('LGN spikes are Bernoulli(p)', async (t) => {
  const p = new Float32Array(200000)
  for (let k = 0; k < p.length; k++) p[k] = [0, 0.05, 0.5, 1][k % 4]
  const s = drawLgnSpikes(3, 0, 1, 1000, 200, p)
  const hits = [0, 0, 0, 0]
  s.forEach((x, k) => { hits[k % 4] += x })
  const n = p.length / 4
  t.equal(hits[0], 0, 'p = 0 never spikes')
  t.equal(hits[3], n, 'p = 1 always spikes')
  t.ok(Math.abs(hits[1] / n - 0.05) < 0.003, `p = 0.05: ${(hits[1] / n).toFixed(4)}`)
  t.ok(Math.abs(hits[2] / n - 0.5) < 0.01, `p = 0.5: ${(hits[2] / n).toFixed(4)}`)
})

t.test('a trial with drawn inputs equals the same trial with those draws given explicitly', async (t) => {
  const net = randomNetwork({ areas: [60, 30], nInputs: 40, seed: 4, recurrentDegree: 8, interareaDegree: 3, lgnDegree: 5, inputWeight: 1.5, bkgWeight: 1.5 })
  const B = 2, T = 80, seed = 123, trial = 9
  const eng = await createEngine(net, { backend: 'cpu', batch: B, seed })
  const prob = new Float32Array(B * T * 40).map((_, k) => ((k * 7919) % 100) / 400)
  const drawn = await eng.forward({ steps: T, trial, lgn: { probability: prob } })
  const spikes = drawLgnSpikes(seed, trial, B, T, 40, prob)
  const counts = [0, 1].map((a) => drawBkgCounts(seed, trial, B, T, a, 100))
  const explicit = await eng.forward({ steps: T, trial: 0, lgn: { spikes }, bkgCounts: counts })
  t.ok(drawn.areas[0].spikes > 0, 'the network spikes')
  for (let a = 0; a < 2; a++) t.same(drawn.areas[a].raster, explicit.areas[a].raster, `area ${a}: identical rasters`)
  const other = await eng.forward({ steps: T, trial: trial + 1, lgn: { probability: prob } })
  t.notSame(other.areas[0].raster, drawn.areas[0].raster, 'another trial counter draws other inputs')
})
