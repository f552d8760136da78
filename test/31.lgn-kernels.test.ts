import t from 'tap'
import { basisColumn, cosineBumpKernel, offAmplitude, rawBump, shiftedSubunit, TWO_SUBUNIT_TTP, zeroCrossing, KERNEL_SPAN, buildTemporalKernels } from '../lib/lgn/temporal.js'
import { gaussianTaps, sizeBin, toPixels, unitCentres } from '../lib/lgn/spatial.js'
import { LGN_MODEL_IDS, loadLgnUnits } from '../lib/lgn/units.js'

t.test('raised-cosine bumps at chosen lags (SPEC §6.1 steps 1–3)', async (t) => {
  // c = ln(100.3); nl(lag + 0.3) = c at lag 100 → cos(0): 1. At lag 200, ln(200.3) − ln(100.3) = db → cos(π/2): 0.5.
  t.ok(Math.abs(rawBump(100.3, 100) - 1) < 1e-12)
  t.ok(Math.abs(rawBump(100.3, 200) - 0.5) < 1e-12)
  // Two db away the argument is clipped at π: 0.
  t.equal(rawBump(100.3, 798), 0)
  t.equal(rawBump(100.3, 1), 0, 'far before the peak the bump is 0 (clipped at −π)')
  // Midway in log-time between peak and half: arg = π/4.
  const lag = Math.sqrt(100.3 * 200.3) - 0.3
  t.ok(Math.abs(rawBump(100.3, lag) - (Math.cos(Math.PI / 4) + 1) / 2) < 1e-12)
})

t.test('basis columns: unit norm, delayed by d − 1 (SPEC §6.1 steps 4–5)', async (t) => {
  for (const [kp, d, L] of [[57.5, 0, 600], [134.3, 14, 600], [22.3, 3, 603]] as const) {
    const v = basisColumn(kp, d, L)
    t.ok(Math.abs(Math.hypot(...v) - 1) < 1e-12, `norm 1 (kpeak ${kp}, d ${d})`)
    // entry for lag ℓ sits at index L − 1 − ℓ and is proportional to bump(ℓ − d + 1)
    const scale = v[L - 1 - 80] / rawBump(kp, 80 - d + 1)
    for (const l of [10, 50, 150, 300]) {
      const expect = l - d + 1 >= 1 ? rawBump(kp, l - d + 1) * scale : 0
      t.ok(Math.abs(v[L - 1 - l] - expect) < 1e-12, `lag ${l}`)
    }
  }
  const k = cosineBumpKernel([57.5, 134.3], [0.98, -0.45], [0, 14.6])
  t.equal(k.length, 600, 'kernel length 600 + d0')
  t.equal(cosineBumpKernel([57.5, 134.3], [1, 0], [3.9, 14.6]).length, 603, 'delays are int-truncated')
  t.throws(() => cosineBumpKernel([57.5, 134.3], [1, 0], [5, 2]), { code: 'E_BAD_ARGUMENT' })
})

t.test('two-subunit ttp shift and amplitude (SPEC §6.1 a–d)', async (t) => {
  const u = loadLgnUnits()
  const i = u.modelIndex.indexOf(LGN_MODEL_IDS.indexOf('sONsOFF_001'))
  const pair = (a: Float64Array): [number, number] => [a[2 * i], a[2 * i + 1]]
  const [ttpDom, ttpNd] = TWO_SUBUNIT_TTP.sONsOFF_001
  const dom = shiftedSubunit(pair(u.kpeaksDom), pair(u.weightDom), pair(u.delayDom), ttpDom)
  const nd = shiftedSubunit(pair(u.kpeaksNonDom), pair(u.weightNonDom), pair(u.delayNonDom), ttpNd)
  const chrono = (k: Float64Array) => Float64Array.from({ length: 600 }, (_, l) => k[k.length - 1 - l])
  for (const [s, ttp] of [[dom, ttpDom], [nd, ttpNd]] as const) {
    t.ok(s.tcross < ttp, 'un-shifted zero crossing comes before ttp')
    const moved = zeroCrossing(chrono(s.kernel))
    t.ok(Math.abs(moved - ttp) <= 1, `shifted crossing ${moved} at ttp ${ttp} (± 1 ms from int-truncated delays)`)
    t.ok(s.sum > 0)
  }
  const amp = offAmplitude('sONsOFF_001', dom.sum, nd.sum)
  t.ok(Math.abs(amp - (-(35 / 21) * (nd.sum / dom.sum) - (4 * 14) / (21 * dom.sum))) < 1e-12)
  t.ok(amp < 0, 'the dominant (OFF) subunit gets a negative amplitude')
  const b = offAmplitude('sONtOFF_001', 2, 3)
  t.ok(Math.abs(b - (-0.7 * (46 / 31) * 1.5 - (5.5 * 15) / 62)) < 1e-12)
  t.throws(() => offAmplitude('sON_TF1', 1, 1), { code: 'E_BAD_ARGUMENT' })
  t.throws(() => zeroCrossing(Float64Array.from([1, 2, 3])), { code: 'E_BAD_ARGUMENT' })
})

t.test('all kernels of the table: common truncation keeps unit-norm bases', async (t) => {
  const u = loadLgnUnits()
  const k = buildTemporalKernels(u)
  t.ok(k.kDom > 400 && k.kDom <= KERNEL_SPAN, `K_dom ${k.kDom}`)
  t.ok(k.kNd > 0 && k.kNd <= KERNEL_SPAN, `K_nd ${k.kNd}`)
  t.equal(k.nd.length / k.kNd, 1950, 'one non-dominant kernel per two-subunit unit')
  // A single-subunit unit's kernel = w0·b0 + w1·b1; with d0 = 0 its lag-0 entry is w0·b0(lag 0) + w1·0.
  const direct = cosineBumpKernel([u.kpeaksDom[0], u.kpeaksDom[1]], [u.weightDom[0], u.weightDom[1]], [u.delayDom[0], u.delayDom[1]])
  for (const lag of [0, 30, 200, 500]) {
    t.ok(Math.abs(k.dom[(k.kDom - 1 - lag) * u.count] - direct[direct.length - 1 - lag]) < 1e-6, `unit 0 lag ${lag}`)
  }
  t.equal(k.amplitude[0], 1, 'sON amplitude +1')
  t.equal(k.amplitude[u.modelIndex.indexOf(LGN_MODEL_IDS.indexOf('tOFF_TF4'))], -1, 'tOFF amplitude −1')
})

t.test('spatial Gaussians per size bin (SPEC §6.1)', async (t) => {
  for (let bin = 0; bin < 14; bin++) {
    const g = gaussianTaps(bin)
    const sigma = (bin + 0.5) / 3
    const r = (g.length - 1) / 2
    t.ok(r <= Math.floor(4 * sigma + 0.5), `bin ${bin}: radius within truncate 4`)
    const sum = g.reduce((a, b) => a + b, 0)
    t.ok(sum <= 1 + 1e-12 && sum > 0.9999, `bin ${bin}: taps sum to 1 before the crop (${sum})`)
    for (let i = 0; i < r; i++) t.ok(Math.abs(g[i] - g[g.length - 1 - i]) < 1e-15)
    t.ok(g[0] * g[r] > 1e-9, 'outermost kept tap is above the crop threshold')
    t.ok(Math.abs(g[r + 1] / g[r] - Math.exp(-0.5 / sigma ** 2)) < 1e-12 || r === 0)
  }
  t.equal((gaussianTaps(9).length - 1) / 2, 13, 'σ = 19/6: radius int(4σ + 0.5) = 13')
  t.equal((gaussianTaps(0).length - 1) / 2, 1)
  t.equal(sizeBin(9.96), 9)
  t.same(toPixels(240, -1), [239, 0])
  t.same(toPixels(120, 60), [119.5, 59.5])
})

t.test("a composite unit's subfields sit sf_sep apart along its tuning angle", async (t) => {
  const u = loadLgnUnits()
  let checked = 0
  for (let i = 0; i < u.count; i++) {
    const c = unitCentres(u, i)
    if (!c.nd) continue
    const [xd, yd] = c.dom
    const [xn, yn] = c.nd
    // Unclipped centres: pixel offset = sf_sep·(cos θ·239/240, sin θ·119/120).
    if (xn <= 0 || xn >= 239 || yn <= 0 || yn >= 119) continue
    const a = (u.tuningAngle[i] * Math.PI) / 180
    t.ok(Math.abs(xn - xd - (u.sfSep[i] * Math.cos(a) * 239) / 240) < 1e-9)
    t.ok(Math.abs(yn - yd - (u.sfSep[i] * Math.sin(a) * 119) / 120) < 1e-9)
    if (++checked === 20) break
  }
  t.equal(checked, 20)
  t.equal(unitCentres(u, 0).nd, undefined)
})
