import t from 'tap'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { stimulusCommand, STIMULUS_HELP } from '../lib/cli/stimulus.js'

t.test('v1lm stimulus writes a frame and an LGN rate map', async (t) => {
  const out = join(mkdtempSync(join(tmpdir(), 'stim-')), 'figs')
  const lines: string[] = []
  const files = await stimulusCommand(['--kind', 'flash-black', '--out', out, '--step', '90', '--backend', 'cpu'], (s) => lines.push(s))
  t.equal(files.length, 3)
  for (const f of files) t.ok(existsSync(f), f)
  const summary = JSON.parse(readFileSync(join(out, 'flash-black.json'), 'utf8'))
  t.equal(summary.step, 90)
  t.ok(summary.meanRateHz > 5, `a dark flash drives OFF units (mean ${summary.meanRateHz} Hz)`)
  t.match(lines[0], /flash-black/)
})

t.test('help and bad arguments', async (t) => {
  const lines: string[] = []
  t.same(await stimulusCommand(['--help'], (s) => lines.push(s)), [])
  t.equal(lines[0], STIMULUS_HELP)
  await t.rejects(stimulusCommand(['--out', '/tmp/x']), { code: 'E_BAD_ARGUMENT', field: 'kind' })
  await t.rejects(stimulusCommand(['--kind', 'plaid', '--out', '/tmp/x']), { code: 'E_BAD_ARGUMENT', field: 'kind' })
  await t.rejects(stimulusCommand(['--kind', 'gray', '--out', '/tmp/x', '--step', 'abc']), { code: 'E_BAD_ARGUMENT', field: 'step' })
  await t.rejects(stimulusCommand(['--kind', 'gray', '--out', '/tmp/x', '--step=-2']), { code: 'E_BAD_ARGUMENT', field: 'step' })
})
