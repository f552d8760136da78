// The CLI's flag grammar (reference names, kebab aliases, --noflag) and the simulate command.
import t from 'tap'
import { parseFlags, helpText } from '../lib/cli/flags.js'
import { simulateCommand } from '../lib/cli/simulate.js'

const schema = {
  v1_neurons: { type: 'integer', default: 10, help: 'V1 neurons' },
  learning_rate: { type: 'number', default: 0.001, help: 'lr' },
  train_recurrent_v1: { type: 'boolean', default: false, help: 'train V1 recurrent weights' },
  core_loss: { type: 'boolean', default: true, help: 'core' },
  optimizer: { type: 'string', default: 'adam', choices: ['adam', 'exp_adam', 'sgd'], help: 'optimizer' },
} as const

t.test('flags: snake_case, kebab-case, = form, --flag / --noflag', async (t) => {
  const { values, positional } = parseFlags(schema, ['--v1_neurons', '200', '--learning-rate=0.01', '--train_recurrent_v1', '--nocore_loss', 'dir', '--optimizer', 'sgd'])
  t.same(values, { v1_neurons: 200, learning_rate: 0.01, train_recurrent_v1: true, core_loss: false, optimizer: 'sgd' })
  t.same(positional, ['dir'])
  t.same(parseFlags(schema, ['--train-recurrent-v1', 'false']).values.train_recurrent_v1, false, 'explicit boolean value')
  t.same(parseFlags(schema, []).values.v1_neurons, 10, 'defaults')
  t.throws(() => parseFlags(schema, ['--v1_neurons', '1.5']), { code: 'E_BAD_ARGUMENT', field: 'v1_neurons' })
  t.throws(() => parseFlags(schema, ['--optimizer', 'rmsprop']), { code: 'E_BAD_ARGUMENT', message: /not one of adam/ })
  t.throws(() => parseFlags(schema, ['--v1neurons', '3']), { code: 'E_BAD_ARGUMENT', message: /did you mean --v1_neurons/ })
  t.throws(() => parseFlags(schema, ['--learning_rate']), { code: 'E_BAD_ARGUMENT', message: /missing value/ })
  t.ok(parseFlags(schema, ['--help']).help)
  t.match(helpText('train', 'Train.', schema), /--nocore_loss|--core_loss/)
})

t.test('simulate prints rates per population of the built-in network', async (t) => {
  const lines: string[] = []
  const rates = await simulateCommand(['--v1_neurons', '600', '--lm_neurons', '100', '--seq_len', '300', '--n_input', '200', '--backend', 'cpu'], (l) => lines.push(l))
  t.equal(rates.length, 6, 'three populations in each of two areas')
  for (const r of rates) t.ok(Number.isFinite(r.rateHz) && r.rateHz >= 0 && r.rateHz < 200, `${r.area} ${r.population}: ${r.rateHz.toFixed(2)} Hz`)
  t.ok(rates.some((r) => r.rateHz > 0.5), 'the network is active')
  t.match(lines.join('\n'), /area\s+population\s+neurons\s+rate/)
  const help: string[] = []
  await simulateCommand(['--help'], (l) => help.push(l))
  t.match(help.join('\n'), /--v1_neurons/)
})
