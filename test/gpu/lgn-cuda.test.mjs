// GPU checks of the LGN backend (node:test; run on the GPU machine: `node --test test/gpu/lgn-cuda.test.mjs`).
// Skips where no CUDA device is available.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { lgnRates } from '../../dist/lgn/rates.js'
import { loadLgnUnits } from '../../dist/lgn/units.js'
import { driftingGrating } from '../../dist/stimuli/gratings.js'
import { fullFieldFlash } from '../../dist/stimuli/flash.js'
import { grayScreen } from '../../dist/stimuli/movie.js'
import { backends } from '../../dist/native.js'

const cuda = backends().cuda
const skip = cuda.available ? false : `no CUDA: ${cuda.reason}`
const units = loadLgnUnits()

function compare(a, b) {
  let maxAbs = 0, maxRel = 0
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i])
    maxAbs = Math.max(maxAbs, d)
    maxRel = Math.max(maxRel, d / Math.max(Math.abs(a[i]), 1e-3))
  }
  return { maxAbs, maxRel }
}

test('CUDA gray screen gives the spontaneous rates', { skip }, async () => {
  const r = await lgnRates(grayScreen(50), units, { backend: 'cuda' })
  assert.equal(r.timing.backend, 'cuda')
  for (let u = 0; u < units.count; u++) assert.ok(Math.abs(r.rates[49 * units.count + u] - units.spontaneousRate[u]) < 1e-5)
})

for (const [name, movie] of [
  ['white flash', fullFieldFlash({ duration: 400, contrast: 1, preDelay: 100 })],
  ['dark flash', fullFieldFlash({ duration: 400, contrast: -1, preDelay: 100 })],
  ['drifting grating 2500 ms', driftingGrating({ duration: 2400, direction: 45, phase: 30, contrast: 0.8, preDelay: 100 })],
]) {
  test(`CPU and CUDA give the same rates: ${name}`, { skip }, async () => {
    const cpu = await lgnRates(movie, units, { backend: 'cpu' })
    const gpu = await lgnRates(movie, units, { backend: 'cuda' })
    const r = compare(cpu.rates, gpu.rates)
    const p = compare(cpu.probabilities, gpu.probabilities)
    console.log(JSON.stringify({ movie: name, steps: movie.steps, card: cuda.devices[0].name, rates: r, probabilities: p,
      cpuMs: cpu.timing.totalMs, cudaTiming: gpu.timing }))
    assert.ok(r.maxRel <= 1e-5, `relative error ${r.maxRel}`)
  })
}
