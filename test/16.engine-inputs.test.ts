// The engine reads LGN inputs from the caller's typed array without copying it (docs/perf-notes.md v4):
// the array is held for the duration of the call only, so a backward after the caller reused the array
// must still see the forward's inputs, and validation must still name the first bad probability.
import t from 'tap'
import { createEngine } from '../lib/engine/index.js'
import { smallNetwork, uniformArray } from './helpers/fixtures.js'

const B = 2, T = 40
const net = smallNetwork({ areas: [50, 20], seed: 21 })
const blocks = net.blocks.map((b) => b.name)

async function gradients(mutate: boolean, kind: 'probability' | 'current'): Promise<Record<string, Float32Array>> {
  const eng = await createEngine(net, { backend: 'cpu', batch: B, seed: 5 })
  const p = uniformArray(B * T * 20, 0, 0.6, 9)
  const out = await eng.forward({ steps: T, trial: 1, lgn: kind === 'probability' ? { probability: p } : { current: p }, bins: { start: 0, size: T, count: 1 } })
  if (mutate) p.fill(0)
  await eng.backward({ areas: out.areas.map((a) => ({ counts: new Float32Array(a.counts.length).fill(0.01), voltageRegularizer: 0.1 })), trainable: blocks })
  const g: Record<string, Float32Array> = {}
  for (const b of blocks) g[b] = eng.getGradients(b)
  eng.dispose()
  return g
}

t.test('backward uses the forward\'s LGN inputs after the caller overwrote its array', async (t) => {
  for (const kind of ['probability', 'current'] as const) {
    const kept = await gradients(false, kind)
    const reused = await gradients(true, kind)
    const lgn = net.blocks.find((b) => b.kind === 'lgn')!.name
    t.ok(kept[lgn].some((x) => x !== 0), `${kind}: the LGN block has a gradient`)
    for (const b of blocks) t.same(reused[b], kept[b], `${kind}: block ${b} unchanged`)
  }
})

t.test('the first probability outside [0, 1] is named, NaN included', async (t) => {
  const eng = await createEngine(net, { backend: 'cpu', batch: B, seed: 5 })
  for (const [at, bad] of [[0, -0.1], [B * T * 20 - 1, 1.5], [70000 % (B * T * 20), Number.NaN]] as const) {
    const p = uniformArray(B * T * 20, 0, 1, 3)
    p[at] = bad
    if (at > 5) p[at + 1 < p.length ? at + 1 : at] = bad
    await t.rejects(eng.forward({ steps: T, lgn: { probability: p } }), { code: 'E_BAD_ARGUMENT', field: `lgn.probability[${at}]` })
  }
  const edge = new Float32Array(B * T * 20).fill(1)
  edge[3] = 0
  await t.resolves(eng.forward({ steps: T, lgn: { probability: edge } }), '0 and 1 are valid')
  eng.dispose()
  // Arrays over 4 M values are scanned in parts on several threads: the first bad value still wins, whichever
  // part holds it and whatever the later parts hold.
  const long = 110000, big = new Float32Array(B * long * 20).fill(0.5)  // 4.4 M values: 2 parts on 2 cores
  const engLong = await createEngine(net, { backend: 'cpu', batch: B, seed: 5 })
  for (const at of [big.length - 1, Math.floor(big.length / 2) + 7, 12345]) {
    big[at] = 2
    await t.rejects(engLong.forward({ steps: long, lgn: { probability: big } }), { code: 'E_BAD_ARGUMENT', field: `lgn.probability[${at}]` })
  }
  engLong.dispose()
})
