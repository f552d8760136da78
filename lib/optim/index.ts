/**
 * Optimizer policy (SPEC §11.3–§11.4): which blocks train, hyper-parameters and the step counter live here;
 * the update itself (Adam / exp-Adam / SGD + sign projection) runs in the engine.
 */
import { V1lmError } from '../errors.js'
import type { Engine, OptimizerAlgorithm } from '../engine/index.js'

/** The reference's training flags and the blocks they train (names of lib/network). */
export interface TrainFlags {
  train_recurrent_v1: boolean
  train_recurrent_lm: boolean
  train_input: boolean
  /** SPEC §15.4: read as source_target — LM→V1. */
  train_interarea_lm_v1: boolean
  /** V1→LM. */
  train_interarea_v1_lm: boolean
  train_noise: boolean
}

export const BLOCK_OF_FLAG: Record<keyof TrainFlags, string[]> = {
  train_recurrent_v1: ['v1.recurrent'],
  train_recurrent_lm: ['lm.recurrent'],
  train_input: ['v1.lgn'],
  train_interarea_lm_v1: ['v1.from_lm'],
  train_interarea_v1_lm: ['lm.from_v1'],
  train_noise: ['v1.bkg', 'lm.bkg'],
}

/** The production set (SPEC §11.6, multi_training.sh): all but LGN. */
export const DEFAULT_TRAINABLE: (keyof TrainFlags)[] = ['train_recurrent_v1', 'train_recurrent_lm', 'train_interarea_lm_v1', 'train_interarea_v1_lm', 'train_noise']

/**
 * Blocks to train. SPEC §15.2: the reference trains nothing unless a flag is given; v1lm then trains the
 * production set and says so (`defaulted`).
 */
export function trainableBlocks(flags: TrainFlags, present: string[]): { blocks: string[]; defaulted: boolean } {
  const chosen = (Object.keys(BLOCK_OF_FLAG) as (keyof TrainFlags)[]).filter((k) => flags[k])
  const defaulted = chosen.length === 0
  const keys = defaulted ? DEFAULT_TRAINABLE : chosen
  const blocks = keys.flatMap((k) => BLOCK_OF_FLAG[k]).filter((b) => present.includes(b))
  return { blocks, defaulted }
}

export interface OptimizerConfig {
  algorithm: OptimizerAlgorithm
  learningRate: number
  beta1?: number
  beta2?: number
  /** SPEC §11.3: 1e-11. */
  epsilon?: number
}

/** Holds the hyper-parameters and the step counter; saved in checkpoints. */
export class Optimizer {
  step = 0
  constructor(readonly config: OptimizerConfig, readonly blocks: string[]) {
    if (!(config.learningRate > 0)) throw new V1lmError('E_BAD_ARGUMENT', `learning rate must be > 0, got ${config.learningRate}`, 'learning_rate')
  }
  /** One update of every trainable block from the gradients of the last backward. */
  async apply(engine: Engine, gradientScale = 1): Promise<void> {
    if (this.blocks.length === 0) return
    this.step++
    await engine.update({ algorithm: this.config.algorithm, learningRate: this.config.learningRate, beta1: this.config.beta1 ?? 0.9,
      beta2: this.config.beta2 ?? 0.999, epsilon: this.config.epsilon ?? 1e-11, step: this.step, gradientScale, blocks: this.blocks })
  }
}
