// Every validation path gives a typed error naming the field, before anything runs.
import t, { type Test } from 'tap'
import { V1lmError } from '../lib/errors.js'
import { backends } from '../lib/native.js'
import { createEngine, randomNetwork, resolveBackend } from '../lib/engine/index.js'
import type { EngineNetwork } from '../lib/engine/types.js'

const base = (): EngineNetwork => randomNetwork({ areas: [20, 10], nInputs: 8, seed: 2, recurrentDegree: 4, interareaDegree: 2, lgnDegree: 2 })
const mutate = (f: (n: EngineNetwork) => void): EngineNetwork => {
  const n = base()
  f(n)
  return n
}
async function rejectsWith(t: Test, p: Promise<unknown>, code: string, field: RegExp, what: string) {
  try {
    await p
    t.fail(`${what}: expected ${code}`)
  } catch (e) {
    t.ok(e instanceof V1lmError, `${what}: a V1lmError`)
    t.equal((e as V1lmError).code, code, `${what}: code ${code}`)
    t.match((e as V1lmError).field ?? '', field, `${what}: names the field (${(e as V1lmError).field})`)
    t.match((e as Error).message, /\S+: \S/, `${what}: says what is wrong`)
  }
}

t.test('bad networks are rejected with E_BAD_NETWORK naming the field', async (t) => {
  const cases: [string, (n: EngineNetwork) => void, RegExp][] = [
    ['presynaptic index out of range', (n) => { n.blocks[0].pre[3] = 9999 }, /blocks\[0\].*\.pre\[3\]/],
    ['postsynaptic index negative', (n) => { n.blocks[1].post[0] = -1 }, /\.post\[0\]/],
    ['delay 0', (n) => { n.blocks[0].delay![2] = 0 }, /\.delay\[2\]/],
    ['delay above maxDelay', (n) => { n.blocks[0].delay![2] = 9 }, /\.delay\[2\]/],
    ['NaN weight', (n) => { n.blocks[0].weight[1] = NaN }, /\.weight\[1\]/],
    ['infinite weight', (n) => { n.blocks[4].weight[0] = Infinity }, /\.weight\[0\]/],
    ['receptor id 4', (n) => { n.blocks[0].receptor[0] = 4 }, /\.receptor\[0\]/],
    ['node type out of range', (n) => { n.areas[0].nodeTypeIndex[5] = 17 }, /nodeTypeIndex\[5\]/],
    ['nodeTypeIndex length', (n) => { n.areas[1].nodeTypeIndex = new Int32Array(3) }, /areas\[1\]\.nodeTypeIndex/],
    ['NaN parameter', (n) => { n.areas[0].types = [{ ...n.areas[0].types[0], C_m: NaN }] }, /types\[0\]\.C_m/],
    ['threshold below rest', (n) => { n.areas[0].types = [{ ...n.areas[0].types[0], V_th: -90 }] }, /types\[0\]\.V_th/],
    ['k outside (0, 1)', (n) => { n.areas[0].types = [{ ...n.areas[0].types[0], k: [0.1, 1.5] }] }, /types\[0\]\.k/],
    ['array of the wrong type', (n) => { (n.blocks[0] as unknown as { pre: Float32Array }).pre = new Float32Array(n.blocks[0].weight.length) }, /blocks\[0\]\.pre/],
    ['length mismatch', (n) => { n.blocks[0].post = n.blocks[0].post.subarray(1) }, /blocks\[0\]/],
    ['unknown kind', (n) => { (n.blocks[0] as unknown as { kind: string }).kind = 'gap' }, /blocks\[0\]\.kind/],
    ['inter-area block from its own area', (n) => { n.blocks[1].source = n.blocks[1].target }, /\.source/],
    ['duplicate block name', (n) => { n.blocks[1].name = n.blocks[0].name }, /\.name/],
    ['no areas', (n) => { n.areas = [] }, /areas/],
  ]
  for (const [what, f, field] of cases) await rejectsWith(t, createEngine(mutate(f), { backend: 'cpu' }), 'E_BAD_NETWORK', field, what)
})

t.test('bad options and requests are rejected with E_BAD_ARGUMENT', async (t) => {
  await rejectsWith(t, createEngine(base(), { backend: 'cpu', batch: 0 }), 'E_BAD_ARGUMENT', /options\.batch/, 'batch 0')
  await rejectsWith(t, createEngine(base(), { backend: 'cpu', seed: -1 }), 'E_BAD_ARGUMENT', /options\.seed/, 'negative seed')
  await rejectsWith(t, createEngine(base(), { backend: 'cpu', gaussStd: 0 }), 'E_BAD_ARGUMENT', /options\.gaussStd/, 'σ = 0')
  for (const g of [0, 4, 2.5]) await rejectsWith(t, createEngine(base(), { backend: 'cpu', backwardStepsPerPass: g }), 'E_BAD_ARGUMENT', /options\.backwardStepsPerPass/, `${g} steps per pass`)
  t.throws(() => resolveBackend('tpu' as never), { code: 'E_BAD_ARGUMENT' }, 'unknown backend')
  const eng = await createEngine(base(), { backend: 'cpu', batch: 2 })
  await rejectsWith(t, eng.backward({ areas: [null, null] }), 'E_BAD_ARGUMENT', /backward/, 'backward before forward')
  await rejectsWith(t, eng.forward({ steps: 0 }), 'E_BAD_ARGUMENT', /steps/, 'zero steps')
  await rejectsWith(t, eng.forward({ steps: 10, lgn: { probability: new Float32Array(5) } }), 'E_BAD_ARGUMENT', /lgn\.probability/, 'probability length')
  const p = new Float32Array(2 * 10 * 8).fill(0.1)
  p[7] = 1.5
  await rejectsWith(t, eng.forward({ steps: 10, lgn: { probability: p } }), 'E_BAD_ARGUMENT', /lgn\.probability\[7\]/, 'probability > 1')
  await rejectsWith(t, eng.forward({ steps: 10, bins: { start: 5, size: 3, count: 2 } }), 'E_BAD_ARGUMENT', /bins/, 'bins beyond the trial')
  await rejectsWith(t, eng.forward({ steps: 10, traces: [{ offsets: Int32Array.of(0, 1), indices: Int32Array.of(20) }] }), 'E_BAD_ARGUMENT', /traces\[0\]\.indices/, 'trace index out of range')
  await rejectsWith(t, eng.forward({ steps: 10, bkgCounts: [new Float32Array(3), null] }), 'E_BAD_ARGUMENT', /bkgCounts\[0\]/, 'BKG counts length')
  const r = await eng.forward({ steps: 10, bins: { start: 0, size: 10, count: 1 } })
  const bad = { ...r.state[0], v: new Float32Array(3) }
  await rejectsWith(t, eng.forward({ steps: 10, state: [bad, r.state[1]] }), 'E_BAD_ARGUMENT', /state\[0\]\.v/, 'state of another shape')
  await rejectsWith(t, eng.backward({ areas: [{ counts: new Float32Array(7) }, null] }), 'E_BAD_ARGUMENT', /counts/, 'adjoint shape')
  await rejectsWith(t, eng.backward({ areas: [{ counts: new Float32Array(r.areas[0].counts.length).fill(NaN) }, null] }), 'E_BAD_ARGUMENT', /counts/, 'NaN adjoint')
  await rejectsWith(t, eng.backward({ areas: [null, null], trainable: ['nope'] }), 'E_BAD_ARGUMENT', /trainable/, 'unknown block')
  await rejectsWith(t, eng.update({ blocks: ['v1.recurrent'], beta1: 1 }), 'E_BAD_ARGUMENT', /^update\.beta1$/, 'β1 = 1')
  await rejectsWith(t, eng.update({ blocks: ['v1.recurrent'], beta2: -0.1 }), 'E_BAD_ARGUMENT', /^update\.beta2$/, 'β2 < 0')
  await rejectsWith(t, eng.update({ blocks: ['v1.recurrent'], step: 0 }), 'E_BAD_ARGUMENT', /^update\.step$/, 'step 0')
  await rejectsWith(t, eng.update({ blocks: ['v1.recurrent'], learningRate: NaN }), 'E_BAD_ARGUMENT', /^update\.learningRate$/, 'NaN learning rate')
  await rejectsWith(t, eng.update({ blocks: ['v1.recurrent'], epsilon: Infinity }), 'E_BAD_ARGUMENT', /^update\.epsilon$/, 'infinite ε')
  await rejectsWith(t, eng.update({ blocks: ['v1.recurrent'], algorithm: 'rmsprop' as never }), 'E_BAD_ARGUMENT', /algorithm/, 'unknown optimizer')
  await rejectsWith(t, eng.update({ blocks: ['v1.recurrent', 'v1.recurrent'] }), 'E_BAD_ARGUMENT', /update\.blocks/, 'a block listed twice')
  t.throws(() => eng.getWeights('nope'), { code: 'E_BAD_ARGUMENT', field: 'block' }, 'unknown block name')
  t.throws(() => eng.setWeights('v1.recurrent', new Float32Array(2)), { code: 'E_BAD_ARGUMENT' }, 'weights of the wrong length')
  const w = eng.getWeights('v1.recurrent')
  w[0] = NaN
  t.throws(() => eng.setWeights('v1.recurrent', w), { code: 'E_BAD_ARGUMENT' }, 'NaN weights')
})

t.test('busy and disposed engines say so', async (t) => {
  const eng = await createEngine(base(), { backend: 'cpu' })
  const running = eng.forward({ steps: 2000 })
  t.throws(() => eng.getWeights('v1.recurrent'), { code: 'E_BUSY' }, 'a second call while one runs')
  await running
  t.equal(eng.getWeights('v1.recurrent').length, eng.info().blocks[0].size, 'usable again after the call')
  eng.dispose()
  t.throws(() => eng.info(), { code: 'E_DISPOSED' }, 'disposed')
})

t.test('asking for CUDA where it cannot run gives E_NO_CUDA with the reason', async (t) => {
  if (backends().cuda.available) {
    t.pass('a CUDA device is present here; covered by the CUDA tests')
    return
  }
  t.throws(() => resolveBackend('cuda'), { code: 'E_NO_CUDA' })
  await rejectsWith(t, createEngine(base(), { backend: 'cuda' }), 'E_NO_CUDA', /backend/, 'cuda backend')
  t.equal(resolveBackend('auto'), 'cpu', "'auto' falls back to cpu")
})
