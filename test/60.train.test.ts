// Training end to end on the CPU: the rate loss falls, checkpoints resume exactly, results are written.
import t from 'tap'
import { existsSync, readFileSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseFlags } from '../lib/cli/flags.js'
import { trainFlags } from '../lib/train/flags.js'
import { Trainer } from '../lib/train/trainer.js'
import type { TrainConfig } from '../lib/train/setup.js'
import { loadCheckpoint } from '../lib/train/checkpoint.js'

const dataPresent = existsSync(new URL('../data/targets', import.meta.url))
const base = ['--v1_neurons', '800', '--lm_neurons', '110', '--seq_len', '300', '--delays', '50,0', '--fano_samples', '20', '--backend', 'cpu', '--seed', '7']
const config = (extra: string[], dir: string) => parseFlags(trainFlags, [...base, '--results_dir', dir, ...extra]).values as TrainConfig
const quiet = { log: () => {} }

t.test('the rate loss of a ~1,000-neuron model falls over a few steps', { skip: !dataPresent && 'targets missing' }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'v1lm-train-'))
  const c = config(['--n_epochs', '4', '--steps_per_epoch', '1', '--rate_cost', '100', '--osi_cost', '0', '--sync_cost', '0', '--voltage_cost', '0',
    '--learning_rate', '0.02', '--train_noise', '--train_recurrent_v1', '--train_recurrent_lm', '--ckpt_dir', join(dir, 'run')], dir)
  const trainer = await Trainer.create(c, quiet)
  const summary = await trainer.train()
  trainer.dispose()
  const rate = summary.epochs.map((e) => e.rate)
  t.equal(rate.length, 4)
  t.ok(rate[3] < 0.8 * rate[0], `rate loss ${rate.map((r) => r.toFixed(4)).join(' → ')} falls by > 20%`)
  t.ok(summary.epochs.every((e) => Number.isFinite(e.loss)), 'finite losses')
  const logdir = join(dir, 'run')
  for (const f of ['config.json', 'metrics_steps.jsonl', 'metrics_steps.csv', 'metrics_epochs.jsonl', 'metrics_epochs.csv', 'Loss_curves/losses_curves_epoch.png',
    'Boxplots/Ave_Rate(Hz)/epoch_4_v1.svg', 'Boxplots/Spontaneous/epoch_4_lm.png', 'Raster_plots/Full/Epoch_4_complete.png', 'OneShotTuningAnalysis/Tuning_curves/v1/epoch_4.svg'])
    t.ok(existsSync(join(logdir, f)), `wrote ${f}`)
  const rows = readFileSync(join(logdir, 'metrics_steps.jsonl'), 'utf8').trim().split('\n')
  t.equal(rows.length, 8, 'one metrics row per update (2 per step)')
  t.equal(readFileSync(join(logdir, 'metrics_steps.csv'), 'utf8').trim().split('\n').length, 9, 'CSV: header + 8 rows')
  const best = loadCheckpoint(join(logdir, 'Best_model'))!
  t.ok(best.data.tensors['weights/v1.recurrent'].length > 0, 'best model holds the weights')
  t.ok(best.data.tensors['adam_m/v1.bkg'].some((x) => x !== 0), 'and the optimizer moments')
})

t.test('an interrupted run resumes exactly where the uninterrupted run is', { skip: !dataPresent && 'targets missing' }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'v1lm-resume-'))
  const flags = ['--steps_per_epoch', '1', '--learning_rate', '0.005', '--train_recurrent_v1', '--train_interarea_v1_lm', '--train_noise']
  const whole = await Trainer.create(config([...flags, '--n_epochs', '3', '--ckpt_dir', join(dir, 'whole')], dir), quiet)
  const a = await whole.train()
  const wA = whole.engine.getWeights('v1.recurrent')
  whole.dispose()
  // The same run, stopped after one epoch and started again on its directory.
  const first = await Trainer.create(config([...flags, '--n_epochs', '1', '--ckpt_dir', join(dir, 'split')], dir), quiet)
  await first.train()
  first.dispose()
  const logs: string[] = []
  const second = await Trainer.create(config([...flags, '--n_epochs', '3', '--ckpt_dir', join(dir, 'split')], dir), { log: (l) => logs.push(l) })
  const b = await second.train()
  const wB = second.engine.getWeights('v1.recurrent')
  second.dispose()
  t.match(logs.join('\n'), /resuming .* after epoch 1/)
  t.same(b.epochs.map((e) => [e.loss, e.rate, e.osi, e.sync]), a.epochs.map((e) => [e.loss, e.rate, e.osi, e.sync]), 'same metrics every epoch')
  t.same(wB, wA, 'same weights at the end')
  const read = (run: string, f: string) => readFileSync(join(dir, run, f), 'utf8')
  t.equal(read('split', 'metrics_steps.jsonl'), read('whole', 'metrics_steps.jsonl'), 'same step metrics file')
  const epochs = (run: string) => read(run, 'metrics_epochs.jsonl').trim().split('\n').map((l) => { const { seconds, ...rest } = JSON.parse(l); return rest })
  t.same(epochs('split'), epochs('whole'), 'same epoch metrics file (timings aside)')
  t.equal(read('split', 'metrics_epochs.csv').split('\n').length, read('whole', 'metrics_epochs.csv').split('\n').length, 'one CSV row per epoch, header once')
})

t.test('--adjoint_precision bfloat16 reaches the engine: same first loss, the update within bfloat16 rounding of float32', { skip: !dataPresent && 'targets missing' }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'v1lm-bf16-'))
  const run = async (precision: string) => {
    const trainer = await Trainer.create(config(['--steps_per_epoch', '1', '--n_epochs', '1', '--learning_rate', '0.005', '--train_recurrent_v1', '--adjoint_precision', precision,
      '--ckpt_dir', join(dir, precision)], dir), quiet)
    const before = trainer.engine.getWeights('v1.recurrent')
    const summary = await trainer.train()
    const after = trainer.engine.getWeights('v1.recurrent')
    trainer.dispose()
    const rows = readFileSync(join(dir, precision, 'metrics_steps.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l))
    return { before, after, loss: rows[0].loss as number, config: JSON.parse(readFileSync(join(dir, precision, 'config.json'), 'utf8')), summary }
  }
  const f32 = await run('float32')
  const b16 = await run('bfloat16')
  t.equal(b16.config.flags.adjoint_precision, 'bfloat16', 'config.json records the precision')
  t.same(b16.before, f32.before, 'same initial weights')
  t.equal(b16.loss, f32.loss, 'the first update\'s loss comes from the same forward')
  let diff = 0
  let step = 0
  for (let k = 0; k < f32.after.length; k++) {
    diff += (b16.after[k] - f32.after[k]) ** 2
    step += (f32.after[k] - f32.before[k]) ** 2
  }
  t.ok(diff > 0, 'bfloat16 adjoints change the update')
  t.ok(Math.sqrt(diff / step) < 5e-2, `after the first two updates the runs differ by ${Math.sqrt(diff / step).toExponential(2)} of the weight change`)
})
