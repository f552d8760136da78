import t from 'tap'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import { readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildLgnFilters, LgnRateCache, lgnRates, resolveBackend } from '../lib/lgn/rates.js'
import { uniformStream } from '../lib/lgn/spikes.js'
import { LGN_UNITS_FILE, loadLgnUnits, type LgnUnits } from '../lib/lgn/units.js'
import { FRAME_SIZE, grayScreen, makeMovie, SCREEN_COLS, SCREEN_ROWS } from '../lib/stimuli/movie.js'
import { fullFieldFlash } from '../lib/stimuli/flash.js'
import { backends } from '../lib/native.js'
import { V1lmError } from '../lib/errors.js'

// A small table: one unit of each class, parameters copied from the full table, placed where tests want them.
const full = gunzipSync(readFileSync(LGN_UNITS_FILE)).toString('utf8').trim().split('\n')
const firstOf = (model: string) => full.find((l) => l.split(' ')[1] === model)!.split(' ')
function smallTable(rows: [string, number, number][]): LgnUnits {
  const lines = [full[0]]
  rows.forEach(([model, x, y], id) => {
    const f = firstOf(model)
    f[0] = String(id)
    f[2] = String(x)
    f[3] = String(y)
    lines.push(f.join(' '))
  })
  const file = join(mkdtempSync(join(tmpdir(), 'lgn-small-')), 'units.csv')
  writeFileSync(file, lines.join('\n') + '\n')
  return loadLgnUnits(file)
}
const small = smallTable([
  ['sON_TF1', 120, 60], ['sOFF_TF4', 60, 30], ['tOFF_TF8', 200, 100], ['sON_TF8', 0.5, 119.9],
  ['sONsOFF_001', 120, 60], ['sONtOFF_001', 30, 90],
])
const at = (r: Float32Array, n: number, step: number, u: number) => r[step * n + u]

t.test('a gray movie yields exactly the spontaneous rates (SPEC §6.1)', async (t) => {
  const r = await lgnRates(grayScreen(40), small, { backend: 'cpu' })
  t.equal(r.steps, 40)
  for (let u = 0; u < small.count; u++) {
    for (const step of [0, 39]) t.equal(at(r.rates, small.count, step, u), Math.fround(small.spontaneousRate[u]))
  }
  const p = r.probabilities!
  t.ok(Math.abs(p[0] - (1 - Math.exp(-small.spontaneousRate[0] / 1000))) < 1e-7, 'p = 1 − exp(−rate/1000)')
})

t.test('full table: gray → spontaneous; CUDA request without a device → E_NO_CUDA', async (t) => {
  const u = loadLgnUnits()
  const r = await lgnRates(grayScreen(3), u, { backend: 'cpu', probabilities: false, threads: 2 })
  t.equal(r.probabilities, undefined)
  let maxErr = 0
  for (let i = 0; i < u.count; i++) maxErr = Math.max(maxErr, Math.abs(r.rates[2 * u.count + i] - u.spontaneousRate[i]))
  t.ok(maxErr < 1e-5, `max |rate − spont| ${maxErr}`)
  if (!backends().cuda.available) {
    await t.rejects(lgnRates(grayScreen(3), u, { backend: 'cuda' }), { code: 'E_NO_CUDA' })
    t.equal(resolveBackend('auto'), 'cpu')
  }
  t.throws(() => resolveBackend('gpu' as never), { code: 'E_BAD_ARGUMENT' })
  await t.rejects(lgnRates({ steps: 0 } as never, u), { code: 'E_BAD_ARGUMENT' })
})

t.test("an ON unit's response to a white flash follows its temporal kernel", async (t) => {
  const onset = 30
  const steps = 330
  const spec = buildLgnFilters(small)
  const r = await lgnRates(fullFieldFlash({ duration: steps - onset, contrast: 1, preDelay: onset }), small, { backend: 'cpu' })
  const n = small.count
  for (const u of [0, 3]) {
    // Full-field 1 after onset: S = 1, so F(t) = Σ_{lag ≤ t − onset} k(lag); rate = relu(amp·F + spont).
    let F = 0
    let maxErr = 0
    for (let step = 0; step < steps; step++) {
      const lag = step - onset
      if (lag >= 0 && lag < spec.kDom) F += spec.kernDom[(spec.kDom - 1 - lag) * n + u]
      const expect = Math.max(0, spec.amp[u] * F + spec.spontDom[u])
      maxErr = Math.max(maxErr, Math.abs(at(r.rates, n, step, u) - expect) / Math.max(1, expect))
    }
    t.ok(maxErr < 1e-5, `unit ${u}: relative error ${maxErr}`)
    t.ok(at(r.rates, n, onset + 60, u) > small.spontaneousRate[u] + 1, 'ON unit excited by white')
  }
})

t.test('OFF units respond to dark flashes, not to white ones', async (t) => {
  const n = small.count
  const dark = await lgnRates(fullFieldFlash({ duration: 200, contrast: -1, preDelay: 20 }), small, { backend: 'cpu' })
  const white = await lgnRates(fullFieldFlash({ duration: 200, contrast: 1, preDelay: 20 }), small, { backend: 'cpu' })
  for (const u of [1, 2]) {
    let peakDark = 0, peakWhite = 0
    for (let s = 20; s < 220; s++) {
      peakDark = Math.max(peakDark, at(dark.rates, n, s, u))
      peakWhite = Math.max(peakWhite, at(white.rates, n, s, u))
    }
    t.ok(peakDark > small.spontaneousRate[u] + 5, `unit ${u} dark peak ${peakDark}`)
    t.ok(peakWhite <= small.spontaneousRate[u] + 1e-4, `unit ${u} white peak ${peakWhite}`)
  }
})

function spot(x: number, y: number, value: number, onset: number, steps: number) {
  return makeMovie(steps, `spot(${x},${y},${value})`, (s, out, off) => {
    out.fill(0, off, off + FRAME_SIZE)
    if (s < onset) return
    for (let yy = 0; yy < SCREEN_ROWS; yy++)
      for (let xx = 0; xx < SCREEN_COLS; xx++) if ((xx - x) ** 2 + (yy - y) ** 2 <= 4) out[off + yy * SCREEN_COLS + xx] = value
  })
}

t.test('a composite unit: ON subfield at sf_sep along the tuning angle, OFF subfield at the centre', async (t) => {
  const spec = buildLgnFilters(small)
  const u = 4
  const c = spec.ndIndex[u]
  const dx = spec.xNd[c] - spec.x[u], dy = spec.yNd[c] - spec.y[u]
  const a = (small.tuningAngle[u] * Math.PI) / 180
  t.ok(Math.abs(Math.hypot(dx / (239 / 240), dy / (119 / 120)) - small.sfSep[u]) < 1e-9, 'subfields sf_sep apart')
  t.ok(Math.abs(Math.atan2(dy / (119 / 120), dx / (239 / 240)) - Math.atan2(Math.sin(a), Math.cos(a))) < 1e-9, 'along the tuning angle')
  const peak = async (x: number, y: number, v: number) => {
    const r = await lgnRates(spot(x, y, v, 10, 250), small, { backend: 'cpu', probabilities: false })
    let p = 0
    for (let s = 10; s < 250; s++) p = Math.max(p, at(r.rates, small.count, s, u))
    return p
  }
  const brightOnNd = await peak(Math.round(spec.xNd[c]), Math.round(spec.yNd[c]), 1)
  const brightOnDom = await peak(Math.round(spec.x[u]), Math.round(spec.y[u]), 1)
  const darkOnDom = await peak(Math.round(spec.x[u]), Math.round(spec.y[u]), -1)
  const darkOnNd = await peak(Math.round(spec.xNd[c]), Math.round(spec.yNd[c]), -1)
  t.ok(brightOnNd > brightOnDom, `bright spot: ON subfield ${brightOnNd} > OFF subfield ${brightOnDom}`)
  t.ok(darkOnDom > darkOnNd, `dark spot: OFF subfield ${darkOnDom} > ON subfield ${darkOnNd}`)
})

t.test('native CPU rates match a float64 reference of Appendix B on a random movie', async (t) => {
  const steps = 24
  const rnd = uniformStream(7)
  const data = Float32Array.from({ length: steps * FRAME_SIZE }, () => 2 * rnd() - 1)
  const movie = makeMovie(steps, 'random7', (s, out, off) => out.set(data.subarray(s * FRAME_SIZE, (s + 1) * FRAME_SIZE), off))
  const r = await lgnRates(movie, small, { backend: 'cpu' })
  const spec = buildLgnFilters(small)
  const n = small.count
  // Renormalized 2-D convolution at one pixel, straight from the definition.
  const conv = (s: number, y: number, x: number, b: number) => {
    const g = spec.taps.subarray(spec.tapOffset[b], spec.tapOffset[b] + 2 * spec.radius[b] + 1)
    const rr = spec.radius[b]
    let acc = 0, norm = 0
    for (let a = -rr; a <= rr; a++) for (let c = -rr; c <= rr; c++) {
      const yy = y + a, xx = x + c
      if (yy < 0 || yy >= SCREEN_ROWS || xx < 0 || xx >= SCREEN_COLS) continue
      acc += g[a + rr] * g[c + rr] * data[s * FRAME_SIZE + yy * SCREEN_COLS + xx]
      norm += g[a + rr] * g[c + rr]
    }
    return acc / norm
  }
  const sample = (s: number, y: number, x: number, b: number) => {
    const y0 = Math.floor(y), y1 = Math.ceil(y), x0 = Math.floor(x), x1 = Math.ceil(x)
    const fy = y - y0, fx = x - x0
    return conv(s, y0, x0, b) * (1 - fx) * (1 - fy) + conv(s, y1, x0, b) * (1 - fx) * fy +
      conv(s, y0, x1, b) * fx * (1 - fy) + conv(s, y1, x1, b) * fx * fy
  }
  let maxErr = 0
  for (let u = 0; u < n; u++) {
    const b = spec.unitBin[u]
    const c = spec.ndIndex[u]
    const sDom = Array.from({ length: steps }, (_, s) => sample(s, spec.y[u], spec.x[u], b))
    const sNd = c >= 0 ? Array.from({ length: steps }, (_, s) => sample(s, spec.yNd[c], spec.xNd[c], b)) : []
    for (const step of [0, 5, steps - 1]) {
      let fd = 0, fn = 0
      for (let lag = 0; lag <= step; lag++) {
        if (lag < spec.kDom) fd += spec.kernDom[(spec.kDom - 1 - lag) * n + u] * sDom[step - lag]
        if (c >= 0 && lag < spec.kNd) fn += spec.kernNd[(spec.kNd - 1 - lag) * spec.nc + c] * sNd[step - lag]
      }
      let rate = Math.max(0, spec.amp[u] * fd + spec.spontDom[u])
      if (c >= 0) rate += Math.max(0, spec.ampNd[c] * fn + spec.spontNd[c])
      const got = at(r.rates, n, step, u)
      maxErr = Math.max(maxErr, Math.abs(got - rate) / Math.max(1, rate))
    }
  }
  t.ok(maxErr < 1e-5, `relative error ${maxErr}`)
})

t.test('per-stimulus cache and host Bernoulli spikes', async (t) => {
  const cache = new LgnRateCache()
  const a = await lgnRates(grayScreen(10), small, { backend: 'cpu', cache })
  const b = await lgnRates(grayScreen(10), small, { backend: 'cpu', cache })
  t.equal(a, b, 'same stimulus parameters → cached response')
  t.equal(cache.size, 1)
  const c = await lgnRates(grayScreen(11), small, { backend: 'cpu', cache })
  t.not(c, a)
  t.equal(cache.size, 2)
  const tiny = new LgnRateCache(a.rates.byteLength + a.probabilities!.byteLength)
  tiny.set('x', a)
  tiny.set('y', a)
  t.equal(tiny.size, 1, 'LRU eviction beyond maxBytes')
  t.equal(tiny.get('x'), undefined)
  t.equal(tiny.get('y'), a)
  tiny.set('huge', { ...a, rates: new Float32Array(1e6) })
  t.equal(tiny.get('huge'), undefined, 'an entry larger than the cache is not kept')
  tiny.clear()
  t.equal(tiny.byteSize, 0)
  const g1 = await lgnRates(grayScreen(5), small, { backend: 'cpu', cache: true })
  t.equal(await lgnRates(grayScreen(5), small, { backend: 'cpu', cache: true }), g1, 'process-wide cache')

  t.throws(() => uniformStream(1.5), V1lmError)
})
