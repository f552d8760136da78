/**
 * From flags to a run: neuron counts, the fixes of the reference's buggy defaults (SPEC §15, each reported
 * as a note), the run directory (SPEC §11.1 step 4) and the loss / engine options.
 */
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { V1lmError } from '../errors.js'
import type { FlagValues } from '../cli/flags.js'
import { trainFlags } from './flags.js'

export type TrainConfig = FlagValues<typeof trainFlags>

export const V1_LM_RATIO = 7.010391285652859

export interface ResolvedRun {
  v1Neurons: number
  lmNeurons: number
  delays: [number, number]
  /** What v1lm chose where the reference's behaviour is a bug (printed at start, saved in config.json). */
  notes: string[]
  flagStr: string
}

export function resolveRun(c: TrainConfig): ResolvedRun {
  const notes: string[] = []
  const delays = c.delays.split(',').map((x) => Number(x.trim()))
  if (delays.length !== 2 || delays.some((d) => !Number.isInteger(d) || d < 0) || delays[0] + delays[1] >= c.seq_len)
    throw new V1lmError('E_BAD_ARGUMENT', `--delays '${c.delays}': expected "pre,post" non-negative integers with pre + post < seq_len`, 'delays')
  if (c.v1_neurons < 1) throw new V1lmError('E_BAD_ARGUMENT', '--v1_neurons must be ≥ 1', 'v1_neurons')
  let lm = c.lm_neurons
  if (c.realistic_neurons_ratio) {
    lm = Math.floor(c.v1_neurons / V1_LM_RATIO)
    if (lm !== c.lm_neurons) notes.push(`--realistic_neurons_ratio: LM has int(${c.v1_neurons}/7.0104) = ${lm} neurons (--lm_neurons ${c.lm_neurons} ignored, as in the reference)`)
  } else {
    notes.push(`LM has --lm_neurons = ${lm} neurons (the reference's default --realistic_neurons_ratio silently replaces it; pass --realistic_neurons_ratio for that; SPEC §15.1)`)
  }
  if (c.seq_len % 50 !== 0) notes.push(`seq_len ${c.seq_len} is not a multiple of 50: readout (classification) chunks would not fit (SPEC §15.3)`)
  if (c.seq_len !== 500 && c.seq_len !== 2000)
    notes.push(`seq_len ${c.seq_len}: no Fano-factor curve of exactly ${c.seq_len - 200} ms exists; the synchrony loss uses the nearest measured curve (SPEC §15.3; docs/losses.md)`)
  if (c.spontaneous_training && c.osi_cost !== 0) notes.push('--spontaneous_training: the OSI cost is 0')
  if (c.max_time > 0) notes.push(`--max_time ${c.max_time} h counts the whole run (the reference compares it with one epoch's duration; SPEC §15.15)`)
  const defaults = trainFlags
  const extra: string[] = []
  for (const k of ['n_input', 'core_only', 'connected_selection', 'interarea_weight_distribution', 'E4_weight_factor', 'random_weights'] as const)
    if (c[k] !== defaults[k].default) extra.push(`_${k}_${String(c[k])}`)
  return { v1Neurons: c.v1_neurons, lmNeurons: lm, delays: [delays[0], delays[1]], notes, flagStr: `v1_${c.v1_neurons}_lm_${lm}${extra.join('')}` }
}

/** `{results_dir}/{flag_str}/b_xxxx`, or `--ckpt_dir` when given (SPEC §11.1 step 4). */
export function runDirectory(c: TrainConfig, run: ResolvedRun): string {
  if (c.ckpt_dir) return c.ckpt_dir
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789'
  const id = Array.from(randomBytes(4), (b) => alphabet[b % alphabet.length]).join('')
  return join(c.results_dir, run.flagStr, `b_${id}`)
}
