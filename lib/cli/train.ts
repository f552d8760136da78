/**
 * `v1lm train`: the reference's multi_training_single_gpu_split.py (SPEC §11) with its flag names.
 * Without any flag it runs a quick-start preset that finishes in minutes on a laptop CPU.
 */
import { Trainer, type TrainSummary } from '../train/trainer.js'
import { trainFlags } from '../train/flags.js'
import type { TrainConfig } from '../train/setup.js'
import { helpText, parseFlags } from './flags.js'
import { Progress } from './progress.js'

/** What `v1lm train` alone runs: a few thousand neurons, a few epochs, all but LGN weights trainable. */
export const QUICK_START = ['--v1_neurons', '2000', '--lm_neurons', '285', '--n_epochs', '4', '--steps_per_epoch', '3', '--seq_len', '500',
  '--delays', '100,0', '--fano_samples', '100', '--learning_rate', '0.01', '--train_recurrent_v1', '--train_recurrent_lm',
  '--train_interarea_lm_v1', '--train_interarea_v1_lm', '--train_noise']

export async function trainCommand(argv: string[], out: (line: string) => void = console.log): Promise<TrainSummary | undefined> {
  const args = argv.length === 0 ? QUICK_START : argv
  const { values, help } = parseFlags(trainFlags, args)
  if (help) {
    out(helpText('train', 'Train V1 + LM on drifting gratings and gray screens (the reference\'s split protocol, SPEC §11).\nWithout flags: the quick-start preset ' + QUICK_START.join(' '), trainFlags))
    return undefined
  }
  if (argv.length === 0) out(`v1lm train: no flags given, running the quick-start preset: ${QUICK_START.join(' ')}`)
  const config = values as TrainConfig
  let bar: Progress | undefined
  const trainer = await Trainer.create(config, {
    log: (l) => out(l),
    progress: (done, total, line) => {
      bar ??= new Progress('train', total)
      bar.update(done, line.slice(0, 160))
    },
  })
  out(`results: ${trainer.logdir}`)
  try {
    const summary = await trainer.train()
    const last = summary.epochs[summary.epochs.length - 1]
    if (last) out(`done: ${summary.epochs.length} epochs, best loss ${summary.bestLoss.toFixed(4)}, last ${last.loss.toFixed(4)}, ${summary.secondsPerStep.toFixed(2)} s per step; results in ${summary.logdir}`)
    return summary
  } finally {
    trainer.dispose()
  }
}
