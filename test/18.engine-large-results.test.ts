// Result vectors of 8 MiB or more live in 2 MiB huge pages mapped for them (native/engine/large_pages.h), smaller
// ones on the heap. A long trial whose recorded voltages take the mapped path must agree, step for step, with a
// short trial of the same inputs whose results stay on the heap.
import { existsSync, readFileSync } from 'node:fs'
import t from 'tap'
import { createEngine, unpackRaster } from '../lib/engine/index.js'
import { smallNetwork, uniformArray } from './helpers/fixtures.js'

const B = 2, LONG = 600, SHORT = 40
const net = smallNetwork({ areas: [2000, 200], seed: 31 })
const nIn = net.nInputs
const lgnLong = uniformArray(B * LONG * nIn, 0, 0.4, 7)
// The short trial's inputs: each batch element's first SHORT steps of the long trial's.
const lgnShort = new Float32Array(B * SHORT * nIn)
for (let b = 0; b < B; b++) lgnShort.set(lgnLong.subarray(b * LONG * nIn, (b * LONG + SHORT) * nIn), b * SHORT * nIn)

t.test('a trial with results in huge pages agrees with a short one on the heap', async (t) => {
  const eng = await createEngine(net, { backend: 'cpu', batch: B, seed: 3 })
  t.teardown(() => eng.dispose())
  const long = await eng.forward({ steps: LONG, trial: 4, recordVoltages: true, lgn: { probability: lgnLong } })
  const short = await eng.forward({ steps: SHORT, trial: 4, recordVoltages: true, lgn: { probability: lgnShort } })
  const n = net.areas[0].n
  const vLong = long.areas[0].voltages!, vShort = short.areas[0].voltages!
  t.ok(vLong.byteLength >= 8 * 2 ** 20, `V1's voltages take ${(vLong.byteLength / 2 ** 20).toFixed(1)} MiB: the mapped path`)
  t.ok(vShort.byteLength < 8 * 2 ** 20, 'the short trial stays on the heap')
  t.ok(vLong.every(Number.isFinite), 'every recorded voltage is finite')
  // Whether the kernel gave huge pages is its choice (THP off, fragmentation): reported, not asserted.
  const rollup = existsSync('/proc/self/smaps_rollup') ? readFileSync('/proc/self/smaps_rollup', 'utf8') : ''
  const huge = /AnonHugePages:\s+(\d+) kB/.exec(rollup)
  if (huge) t.comment(`anonymous huge pages of the process while the results live: ${(Number(huge[1]) / 1024).toFixed(0)} MiB`)
  let mismatch = -1
  for (let b = 0; b < B && mismatch < 0; b++)
    for (let k = 0; k < SHORT * n; k++)
      if (vLong[b * LONG * n + k] !== vShort[b * SHORT * n + k]) { mismatch = b * SHORT * n + k; break }
  t.equal(mismatch, -1, 'voltages of the common steps identical')
  const zLong = unpackRaster(long.areas[0].raster, n, LONG, B), zShort = unpackRaster(short.areas[0].raster, n, SHORT, B)
  let spikes = 0, same = true
  for (let b = 0; b < B; b++)
    for (let k = 0; k < SHORT * n; k++) {
      spikes += zShort[b * SHORT * n + k]
      same &&= zLong[b * LONG * n + k] === zShort[b * SHORT * n + k]
    }
  t.ok(spikes > 0, `the common steps hold ${spikes} spikes`)
  t.ok(same, 'spikes of the common steps identical')
  // Later steps of the long trial are written, not left as the mapping's zeros.
  t.ok(vLong.subarray((LONG - 1) * n, LONG * n).some((v) => v !== 0), 'the last step of the first batch element recorded')
})
