// `v1lm bench` on built networks (issue 7): the JSON row of a tiny built workload, the network cache (second run
// cached, same synapses), the build-only entry, parallel builds of distinct networks, the typed errors of bad flags and a failing build.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { buildNetworksInParallel, childExecArgv } from '../lib/bench/networks.js'
import { benchCommand, type Result } from '../lib/bench/run.js'

const SCALE = '0.02' // W1 at 2 %: V1 200 + LM 28
const base = (cache: string, out: string) => ['--scale', SCALE, '--trials', '1', '--backend', 'cpu', '--cache', cache, '--out', out]

async function bench(argv: string[]): Promise<{ rows: Result[]; out: string[]; progress: string[] }> {
  const out: string[] = []
  const progress: string[] = []
  const rows = await benchCommand(argv, (l) => out.push(l), (l) => progress.push(l))
  return { rows, out, progress }
}

t.test('built W1 at 2 %: row fields, floor, JSON file, table; the second run reads the cache', async (t) => {
  const dir = t.testdir({})
  const cache = join(dir, 'nets')
  const outDir = join(dir, 'results')
  const first = await bench(['W1', ...base(cache, outDir)])
  t.equal(first.rows.length, 1)
  const r = first.rows[0]
  if ('error' in r) throw new Error(`unexpected error row ${r.error.message}`)
  t.match(r, { workload: 'W1', network: 'built', card: 'cpu', backend: 'cpu', batch: 1, steps: 500, scale: 0.02, neuronsV1: 200, neuronsLm: 28, neurons: 228, cached: false, trials: 1, adjointPrecision: 'float32' })
  t.ok(r.delayedSynapses > 0 && r.delayedSynapses < r.synapses, `delayed ${r.delayedSynapses} of ${r.synapses} synapses`)
  t.equal(r.backwardFloorMs, (r.delayedSynapses * 8 * 500) / 3.08e12 * 1000, 'bytes floor of the backward stream')
  t.ok(r.forwardMs > 0 && r.backwardMs > 0 && r.updateMs > 0, 'all three phases timed')
  t.equal(r.totalMs, r.forwardMs + r.backwardMs + r.updateMs)
  t.same([r.trialMs.forward.length, r.trialMs.backward.length, r.trialMs.update.length], [1, 1, 1], 'one time per measured trial and phase')
  t.equal(r.trialMs.forward[0], r.forwardMs, 'the median of one trial is that trial')
  t.equal(r.floors.backwardMs, r.backwardFloorMs, 'the floor holds the backward stream')
  t.ok(r.floors.pushMs >= 0 && r.floors.stateMs > 0 && r.floors.latencyMs > 0, 'floor parts')
  t.equal(r.timesFloor, r.totalMs / r.floors.totalMs)
  t.ok(r.timesFloor > 1, `the CPU is above the GPU floor (${r.timesFloor.toFixed(0)}×)`)
  t.equal(r.cardFloors, null, 'no measured rates for the CPU')
  t.equal(r.timesCardFloor, null)
  t.ok(r.buildSeconds > 0 && r.loadSeconds >= 0 && r.engineSeconds > 0)
  t.ok(r.rateV1Hz >= 0 && r.rateV1Hz < 200 && Number.isFinite(r.rateLmHz))
  t.match(first.progress.join('\n'), /W1: building \(V1 200, LM by ratio\)[\s\S]*W1: built in [\d.]+ s \(200 \+ 28 neurons/)
  t.same(JSON.parse(first.out[0]), r, 'one JSON line per row')
  t.match(first.out.at(-1), /workload\s+net\s+card[\s\S]*floor ms\s+×floor[\s\S]*card floor\s+×card\s+build s[\s\S]*W1\s+built\s+cpu/)
  const files = readdirSync(outDir)
  t.equal(files.length, 1)
  const saved = JSON.parse(readFileSync(join(outDir, files[0]), 'utf8'))
  t.match(saved, { network: 'built', scale: 0.02, results: [{ workload: 'W1', synapses: r.synapses }] })

  const second = await bench(['W1', ...base(cache, outDir)])
  const r2 = second.rows[0]
  t.equal(r2.cached, true, 'second run: cached')
  t.equal(r2.synapses, r.synapses, 'same network')
  t.equal(r2.delayedSynapses, r.delayedSynapses)
  t.match(second.progress.join('\n'), /W1: cached in/)
  t.equal(readdirSync(cache).length, 1, 'one network folder in the cache')
})

t.test('distinct networks build in parallel child processes', async (t) => {
  const dir = t.testdir({})
  const help = await bench(['--help'])
  t.same(help.rows, [])
  t.match(help.out.join('\n'), /W1, W2, F, C[\s\S]*physical floor[\s\S]*--network[\s\S]*--scale/)
  // W2 at 0.2 % (V1 200 + LM 60 explicit) and C at 0.1 % (V1 231 + LM 32 by the ratio)
  const jobs = [
    { label: 'W2', options: { v1Neurons: 200, realisticNeuronsRatio: false, lmNeurons: 60, nOutput: 0 } },
    { label: 'C', options: { v1Neurons: 231, realisticNeuronsRatio: true, nOutput: 0 } },
  ]
  const progress: string[] = []
  const nets = await buildNetworksInParallel(jobs, join(dir, 'nets'), (l) => progress.push(l))
  t.same(nets.map((n) => [n.label, n.neurons, n.cached]), [['W2', [200, 60], false], ['C', [231, 32], false]])
  t.not(nets[0].dir, nets[1].dir)
  const firstDone = progress.findIndex((l) => / built in /.test(l))
  t.equal(progress.slice(0, firstDone).filter((l) => /: building \(/.test(l)).length, 2, 'both children started before either finished')
  t.equal(readdirSync(join(dir, 'nets')).length, 2)
})

t.test('typed errors: network kind, scale, workload, batch, a cache folder that cannot be written', async (t) => {
  const dir = t.testdir({ 'a-file': 'not a folder' })
  await t.rejects(bench(['W1', '--network', 'random']), { code: 'E_BAD_ARGUMENT', field: 'network', message: /not one of built, synthetic/ })
  await t.rejects(bench(['W1', '--scale', '0']), { code: 'E_BAD_ARGUMENT', field: 'scale' })
  await t.rejects(bench(['W1', '--scale', '2']), { code: 'E_BAD_ARGUMENT', field: 'scale' })
  await t.rejects(bench(['W9', '--scale', SCALE]), { code: 'E_BAD_ARGUMENT', field: 'workload', message: /unknown workload 'W9'/ })
  await t.rejects(bench(['W1', ...base(join(dir, 'nets'), dir), '--trials', '0']), { code: 'E_BAD_ARGUMENT', field: 'trials' })
  await t.rejects(bench(['W1', ...base(join(dir, 'nets'), dir), '--batch', '-2']), { code: 'E_BAD_ARGUMENT', field: 'batch' })
  t.equal(readdirSync(dir).includes('nets'), false, 'flags are checked before any build')
  const progress: string[] = []
  await t.rejects(benchCommand(['W1', ...base(join(dir, 'a-file', 'nets'), dir)], () => {}, (l) => progress.push(l)), { code: 'E_BAD_FILE', field: 'cache', message: /building the W1 network/ })
})

t.test('--build_only builds the networks the runs use, prints them and runs no engine', async (t) => {
  const dir = t.testdir({})
  const cache = join(dir, 'nets')
  const outDir = join(dir, 'results')
  const first = await bench(['W1', '--build_only', ...base(cache, outDir)])
  t.same(first.rows, [])
  t.equal(first.out.length, 1, 'one line per network')
  const net = JSON.parse(first.out[0])
  t.match(net, { label: 'W1', cached: false, neurons: [200, 28] })
  t.ok(net.synapses > 0 && net.buildSeconds > 0)
  t.same(readdirSync(cache), [net.dir.split(/[\\/]/).at(-1)], 'the network folder in the cache')
  t.equal(readdirSync(dir).includes('results'), false, 'no results written')
  const again = await bench(['W1', '--build_only', ...base(cache, outDir)])
  t.match(JSON.parse(again.out[0]), { label: 'W1', cached: true, dir: net.dir, synapses: net.synapses })
  const run = await bench(['W1', ...base(cache, outDir)])
  t.match(run.rows[0], { workload: 'W1', cached: true, synapses: net.synapses }, 'the bench runs on the network built before')
  await t.rejects(bench(['W1', '--build_only', '--network', 'synthetic']), { code: 'E_BAD_ARGUMENT', field: 'build_only', message: /--network built/ })
})

t.test('synthetic networks keep the history workloads; --batch and --adjoint_precision reach the engine', async (t) => {
  const dir = t.testdir({})
  const { rows, out } = await bench(['W1', '--network', 'synthetic', ...base(join(dir, 'nets'), dir), '--batch', '3', '--adjoint_precision', 'bfloat16'])
  const r = rows[0]
  t.match(r, { network: 'synthetic', cached: null, loadSeconds: 0, neuronsV1: 200, neuronsLm: 28, batch: 3, adjointPrecision: 'bfloat16' })
  t.match(out.at(-1), /\bdI\b[\s\S]*W1\s+synthetic\s+cpu\s+3\s+500\s+bf16/)
  // synthetic in-degrees: 290 recurrent per neuron, 49 LM→V1, 232 V1→LM
  t.equal(r.delayedSynapses, 228 * 290 + 200 * 49 + 28 * 232)
  t.equal(readdirSync(dir).includes('nets'), false, 'no cache for synthetic networks')
})

t.test('build children keep the parent\'s loaders but not the code of node -e / -p', async (t) => {
  t.same(childExecArgv(['--import', 'tsx', '-e', 'build()', '--max-old-space-size=100']), ['--import', 'tsx', '--max-old-space-size=100'])
  t.same(childExecArgv(['--eval=build()', '--enable-source-maps']), ['--enable-source-maps'])
  t.same(childExecArgv(['-p', 'x', '--print', 'y', '-pe', 'z']), [])
  t.same(childExecArgv([]), [])
})
