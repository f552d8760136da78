/**
 * The training loop of the reference's multi_training_single_gpu_split (SPEC §11): per epoch a gray state,
 * then per step a spontaneous and an evoked (drifting grating) update, each forward + backward + optimizer
 * step. Checkpoints every epoch (resume continues exactly), best model on improvement, metrics and figures.
 */
import { existsSync, mkdirSync, statSync, truncateSync } from 'node:fs'
import { join } from 'node:path'
import { V1lmError } from '../errors.js'
import { createEngine, type AdjointPrecision, type AreaState, type Engine } from '../engine/index.js'
import { lgnRates } from '../lgn/rates.js'
import { loadLgnUnits, type LgnUnits } from '../lgn/units.js'
import { CORE_SIZE, TrainingLoss, type LossEvaluation } from '../losses/total.js'
import { buildNetwork, type BuildOptions, type Network } from '../network/index.js'
import { buildNetworkCached } from '../network/format.js'
import { Optimizer, trainableBlocks } from '../optim/index.js'
import { grayScreen, randomGratingTrials, type Movie } from '../stimuli/index.js'
import { listCheckpoints, loadCheckpoint, saveCheckpoint, writeFileAtomic } from './checkpoint.js'
import { epochFigures, type TrialRecord } from './figures.js'
import { MetricsLog, RunningMeans } from './metrics.js'
import { resolveRun, runDirectory, type ResolvedRun, type TrainConfig } from './setup.js'

export interface TrainHooks {
  log: (line: string) => void
  /** Called after every update with (done, total) updates of the run. */
  progress?: (done: number, total: number, line: string) => void
}

export interface EpochRecord {
  epoch: number
  loss: number
  rate: number
  voltage: number
  regularizer: number
  osi: number
  sync: number
  rateHz: Record<string, number>
  seconds: number
}

export interface TrainSummary {
  logdir: string
  epochs: EpochRecord[]
  bestLoss: number
  stoppedEarly: string | null
  secondsPerStep: number
}

const METRIC_FILES = ['metrics_steps.jsonl', 'metrics_steps.csv', 'metrics_epochs.jsonl', 'metrics_epochs.csv']

/** Mixes the run seed with a step counter: the grating trials of a step depend only on (seed, step). */
const stepSeed = (seed: number, step: number) => ((Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(step + 1, 0xc2b2ae35)) >>> 0)

/** Indices of the `count` neurons nearest to the column axis (the core of SPEC §10). */
function nearestToAxis(x: Float32Array, z: Float32Array, count: number): Int32Array {
  const idx = Array.from({ length: x.length }, (_, i) => i)
  idx.sort((a, b) => x[a] * x[a] + z[a] * z[a] - (x[b] * x[b] + z[b] * z[b]) || a - b)
  return Int32Array.from(idx.slice(0, count)).sort()
}

export class Trainer {
  private gray: AreaState[] | undefined
  private trial = 0
  private globalStep = 0
  private epoch = 0
  private history: EpochRecord[] = []
  private bestLoss = Infinity
  private noImprove = 0
  private secondsSoFar = 0
  private readonly metrics: MetricsLog
  private readonly epochMetrics: MetricsLog
  private spontaneousProb: Float32Array | undefined

  private constructor(
    readonly config: TrainConfig,
    readonly run: ResolvedRun,
    readonly logdir: string,
    readonly network: Network,
    readonly engine: Engine,
    readonly loss: TrainingLoss,
    readonly optimizer: Optimizer,
    readonly units: LgnUnits,
    private readonly hooks: TrainHooks,
  ) {
    this.metrics = new MetricsLog(join(logdir, 'metrics_steps.jsonl'), join(logdir, 'metrics_steps.csv'))
    this.epochMetrics = new MetricsLog(join(logdir, 'metrics_epochs.jsonl'), join(logdir, 'metrics_epochs.csv'))
  }

  static async create(config: TrainConfig, hooks: TrainHooks): Promise<Trainer> {
    const run = resolveRun(config)
    const logdir = runDirectory(config, run)
    mkdirSync(logdir, { recursive: true })
    for (const note of run.notes) hooks.log(`note: ${note}`)
    const buildOptions: BuildOptions = {
      v1Neurons: run.v1Neurons, lmNeurons: run.lmNeurons, realisticNeuronsRatio: false, seed: config.seed, coreOnly: config.core_only,
      connectedSelection: config.connected_selection, nInput: config.n_input, interareaWeightDistribution: config.interarea_weight_distribution as BuildOptions['interareaWeightDistribution'],
      E4WeightFactor: config.E4_weight_factor, disconnectV1LmL6ExcitatoryProjections: config.disconnect_v1_lm_L6_excitatory_projections,
      randomWeights: config.random_weights, inputWeightScale: config.input_weight_scale,
      // Readout populations only matter for classification (SPEC §7.6); training on gratings builds none unless asked.
      nOutput: config.neuron_output ? config.n_output : 0, neuronsPerOutput: config.neurons_per_output,
    }
    const t0 = performance.now()
    const network = config.caching ? buildNetworkCached(buildOptions, join(config.results_dir, '.cache')).network : buildNetwork(buildOptions)
    hooks.log(`network: ${network.areas.map((a) => `${a.name} ${a.n}`).join(', ')} neurons; ${network.blocks.map((b) => `${b.name} ${b.weight.length}`).join(', ')} synapses (${((performance.now() - t0) / 1000).toFixed(1)} s)`)
    const engine = await createEngine(network, {
      backend: config.backend as 'auto', batch: config.batch_size, seed: config.seed, maxDelay: network.maxDelay, lrScale: config.lr_scale,
      hardReset: config.hard_reset, dampeningFactor: config.dampening_factor, gaussStd: config.gauss_std, pseudoGauss: config.pseudo_gauss,
      recurrentDampeningFactor: config.recurrent_dampening_factor, threads: config.threads,
      adjointPrecision: config.adjoint_precision as AdjointPrecision,
    })
    const { blocks, defaulted } = trainableBlocks(config, network.blocks.map((b) => b.name))
    if (defaulted) hooks.log(`note: no --train_* flag given: training ${blocks.join(', ')} (the reference would train nothing; SPEC §15.2)`)
    else hooks.log(`training ${blocks.join(', ')} (--train_interarea_lm_v1 = LM→V1, --train_interarea_v1_lm = V1→LM; SPEC §15.4)`)
    const optimizer = new Optimizer({ algorithm: config.optimizer as 'adam', learningRate: config.learning_rate }, blocks)
    const loss = new TrainingLoss({
      areas: network.areas.map((a) => {
        const rec = network.blocks.find((b) => b.name === `${a.name}.recurrent`)
        const area = a.name as 'v1' | 'lm'
        return {
          area, popNames: Array.from(a.nodeTypeIndex, (k) => a.popName[k]), tuningAngleDeg: a.tuningAngle,
          core: config.core_loss && a.n >= CORE_SIZE[area] ? nearestToAxis(a.x, a.z, CORE_SIZE[area]) : undefined,
          recurrent: rec && config.recurrent_weight_regularization > 0 ? { initialWeights: Float32Array.from(rec.weight, (w) => w / config.lr_scale), edgeTypeIds: rec.edgeTypeId } : undefined,
        }
      }),
      costs: { rate: config.rate_cost, voltage: config.voltage_cost, regularizer: config.recurrent_weight_regularization, osi: config.osi_cost, sync: config.sync_cost },
      seqLen: config.seq_len, delays: run.delays, batch: config.batch_size, coreLoss: config.core_loss,
      osiLossMethod: config.osi_loss_method as 'crowd_osi', subtractionRatio: config.osi_loss_subtraction_ratio, fanoSamples: config.fano_samples,
      spontaneousTraining: config.spontaneous_training, seed: config.seed,
    })
    const trainer = new Trainer(config, run, logdir, network, engine, loss, optimizer, loadLgnUnits(), hooks)
    writeFileAtomic(join(logdir, 'config.json'), JSON.stringify({ flags: config, resolved: { ...run, trainable: blocks, backend: engine.backend, network: network.meta } }, null, 1))
    trainer.restore()
    return trainer
  }

  /** LGN spike probabilities B·T·nInputs of one movie per batch element (SPEC §6.1). */
  private async probabilities(movies: Movie[]): Promise<Float32Array> {
    const T = this.config.seq_len, nIn = this.network.nInputs, B = movies.length
    const out = new Float32Array(B * T * nIn)
    const seen = new Map<string, Awaited<ReturnType<typeof lgnRates>>>()
    for (let b = 0; b < B; b++) {
      // Equal movies (the gray screen of every batch element) are filtered once.
      if (!seen.has(movies[b].key)) seen.set(movies[b].key, await lgnRates(movies[b], this.units, { backend: this.engine.backend }))
      const r = seen.get(movies[b].key)!
      const p = r.probabilities!
      // The network may use fewer units than the table (n_input < 17,400): the first n_input, as the reference's LGN module (SPEC §15.14).
      for (let t = 0; t < T; t++) out.set(p.subarray(t * r.units, t * r.units + nIn), (b * T + t) * nIn)
    }
    return out
  }

  private async spontaneous(): Promise<Float32Array> {
    this.spontaneousProb ??= await this.probabilities(Array.from({ length: this.config.batch_size }, () => grayScreen(this.config.seq_len)))
    return this.spontaneousProb
  }

  /** SPEC §11.2: the gray state, simulated from the zero state on a spontaneous trial (no gradient). */
  private async grayState(): Promise<AreaState[]> {
    const r = await this.engine.forward({ steps: this.config.seq_len, trial: this.trial++, lgn: { probability: await this.spontaneous() }, keepTape: false })
    return r.state
  }

  /** One forward + backward + update; returns the loss evaluation and what the figures need. */
  private async update(spontaneous: boolean): Promise<{ ev: LossEvaluation; rec: TrialRecord }> {
    const c = this.config, B = c.batch_size, T = c.seq_len
    let probability: Float32Array, angles: number[]
    if (spontaneous || c.spontaneous_training) {
      probability = await this.spontaneous()
      angles = new Array(B).fill(0)
    } else {
      const trials = randomGratingTrials(B, stepSeed(c.seed, this.globalStep), { seqLen: T, preDelay: this.run.delays[0], postDelay: this.run.delays[1], temporalF: c.temporal_f, rotation: c.rotation as 'ccw' })
      probability = await this.probabilities(trials.map((t) => t.movie))
      angles = trials.map((t) => t.direction)
    }
    const req = this.loss.request(spontaneous)
    const bins = req[0].bins[0]
    const trial = this.trial++
    const r = await this.engine.forward({ steps: T, trial, lgn: c.current_input ? { current: probability } : { probability }, state: this.gray, bins,
      traces: req.map((q) => ({ offsets: q.subsets.offsets, indices: q.subsets.indices })) })
    const obs = r.areas.map((a, k) => ({
      counts: { data: a.counts, batch: B, bins: bins.count, neurons: this.network.areas[k].n, binSteps: bins.size },
      traces: { data: a.traces, batch: B, subsets: req[k].subsets.offsets.length - 1, steps: T },
      voltageRegularizer: a.voltageRegularizer,
    }))
    const recurrent = this.network.areas.map((a) => (c.recurrent_weight_regularization > 0 && this.optimizer.blocks.includes(`${a.name}.recurrent`) ? this.engine.getWeights(`${a.name}.recurrent`) : undefined))
    const ev = this.loss.evaluate(obs, angles, recurrent)
    if (!Number.isFinite(ev.total)) throw new V1lmError('E_INTERNAL', `the loss became ${ev.total} at step ${this.globalStep}; lower --learning_rate`)
    await this.engine.backward({ areas: ev.adjoints.map((a) => ({ counts: a.counts, traces: a.traces, voltageRegularizer: a.voltageRegularizer })), trainable: this.optimizer.blocks })
    ev.adjoints.forEach((a, k) => { if (a.recurrentWeights && recurrent[k]) this.engine.addGradients(`${this.network.areas[k].name}.recurrent`, a.recurrentWeights) })
    await this.optimizer.apply(this.engine)
    return { ev, rec: { raster: r.areas.map((a) => a.raster), counts: r.areas.map((a) => a.counts), angles, probability, trial, spontaneous } }
  }

  private rateHz(counts: Float32Array[]): Record<string, number> {
    const steps = this.config.seq_len - this.run.delays[0] - this.run.delays[1]
    return Object.fromEntries(this.network.areas.map((a, k) => [a.name, (counts[k].reduce((s, x) => s + x, 0) / (this.config.batch_size * steps * a.n)) * 1000]))
  }

  /** Trains every epoch left; returns what happened. */
  async train(): Promise<TrainSummary> {
    const c = this.config
    const first = Math.max(this.epoch, c.run_session * c.n_epochs)
    const lastEpoch = (c.run_session + 1) * c.n_epochs
    const totalUpdates = (lastEpoch - first) * c.steps_per_epoch * 2
    let done = 0, stoppedEarly: string | null = null, stepSeconds = 0, stepCount = 0
    for (let epoch = first; epoch < lastEpoch; epoch++) {
      const epochStart = performance.now()
      this.gray = await this.grayState()
      const means = new RunningMeans()
      let lastRecords: TrialRecord[] = []
      for (let step = 0; step < c.steps_per_epoch; step++) {
        if (c.reset_every_step && step > 0) this.gray = await this.grayState()
        const t0 = performance.now()
        const records: TrialRecord[] = []
        for (const spontaneous of [true, false]) {
          const { ev, rec } = await this.update(spontaneous)
          records.push(rec)
          const rates = this.rateHz(rec.counts)
          const row = { epoch: epoch + 1, step: step + 1, session: spontaneous ? 'spontaneous' : 'evoked', loss: ev.total, ...ev.terms,
            ...Object.fromEntries(Object.entries(rates).map(([k, v]) => [`rate_${k}_hz`, v])) }
          means.add({ loss: ev.total, ...ev.terms, ...Object.fromEntries(Object.entries(rates).map(([k, v]) => [`rate_${k}`, v])) })
          this.metrics.append(row)
          done++
          this.hooks.progress?.(done, totalUpdates, `epoch ${epoch + 1} step ${step + 1}/${c.steps_per_epoch} ${spontaneous ? 'spont ' : 'evoked'} loss ${ev.total.toFixed(4)} (rate ${ev.terms.rate.toFixed(4)} volt ${ev.terms.voltage.toFixed(4)} reg ${ev.terms.regularizer.toFixed(4)} osi ${ev.terms.osi.toFixed(4)} sync ${ev.terms.sync.toFixed(4)}) | ${Object.entries(rates).map(([k, v]) => `${k} ${v.toFixed(2)} Hz`).join(' ')}`)
        }
        this.globalStep++
        const dt = (performance.now() - t0) / 1000
        stepSeconds += dt
        stepCount++
        const mem = this.engine.info().peakDeviceBytes
        this.hooks.log(`epoch ${epoch + 1} step ${step + 1}/${c.steps_per_epoch}: ${dt.toFixed(2)} s/step, host RSS ${(process.memoryUsage().rss / 2 ** 30).toFixed(2)} GiB${mem ? `, device peak ${(mem / 2 ** 30).toFixed(2)} GiB` : ''}`)
        lastRecords = records
      }
      const m = means.means()
      const seconds = (performance.now() - epochStart) / 1000
      this.secondsSoFar += seconds
      const record: EpochRecord = { epoch: epoch + 1, loss: m.loss, rate: m.rate, voltage: m.voltage, regularizer: m.regularizer, osi: m.osi, sync: m.sync,
        rateHz: Object.fromEntries(this.network.areas.map((a) => [a.name, m[`rate_${a.name}`]])), seconds }
      this.history.push(record)
      const improved = record.loss < this.bestLoss
      if (improved) { this.bestLoss = record.loss; this.noImprove = 0 } else this.noImprove++
      this.epoch = epoch + 1
      this.hooks.log(`epoch ${epoch + 1}: loss ${record.loss.toFixed(4)} (rate ${record.rate.toFixed(4)}, voltage ${record.voltage.toFixed(4)}, reg ${record.regularizer.toFixed(4)}, osi ${record.osi.toFixed(4)}, sync ${record.sync.toFixed(4)}), ${Object.entries(record.rateHz).map(([k, v]) => `${k} ${v.toFixed(2)} Hz`).join(', ')}, ${seconds.toFixed(1)} s${improved ? ' — best so far' : ''}`)
      epochFigures(this.logdir, epoch + 1, this.history, lastRecords, this.network, this.config, this.run)
      const { rateHz, ...scalars } = record
      this.epochMetrics.append({ ...scalars, ...Object.fromEntries(Object.entries(rateHz).map(([k, v]) => [`rate_${k}_hz`, v])) })
      const data = this.checkpointData()
      if (improved) saveCheckpoint(join(this.logdir, 'Best_model'), epoch + 1, data, 1)
      saveCheckpoint(join(this.logdir, 'Intermediate_checkpoints'), epoch + 1, data, 5)
      if (c.max_time > 0 && this.secondsSoFar / 3600 > c.max_time) { stoppedEarly = `max_time ${c.max_time} h reached`; break }
      if (this.noImprove >= c.patience) { stoppedEarly = `no improvement for ${c.patience} epochs`; break }
    }
    if (stoppedEarly) this.hooks.log(`stopped early: ${stoppedEarly}`)
    return { logdir: this.logdir, epochs: this.history, bestLoss: this.bestLoss, stoppedEarly, secondsPerStep: stepCount ? stepSeconds / stepCount : 0 }
  }

  private checkpointData() {
    const tensors: Record<string, Float32Array> = {}
    for (const b of this.network.blocks) tensors[`weights/${b.name}`] = this.engine.getWeights(b.name)
    for (const b of this.optimizer.blocks) {
      const s = this.engine.getOptimizerState(b)
      tensors[`adam_m/${b}`] = s.m
      tensors[`adam_v/${b}`] = s.v
    }
    const ls = this.loss.state()
    for (const [area, ema] of Object.entries(ls.ema)) tensors[`ema/${area}`] = ema
    const size = (f: string) => (existsSync(f) ? statSync(f).size : 0)
    return {
      tensors,
      state: {
        epoch: this.epoch, trial: this.trial, globalStep: this.globalStep, optimizerStep: this.optimizer.step, lossRng: ls.rng,
        history: this.history, bestLoss: this.bestLoss, noImprove: this.noImprove, secondsSoFar: this.secondsSoFar,
        trainable: this.optimizer.blocks,
        metricsBytes: Object.fromEntries(METRIC_FILES.map((f) => [f, size(join(this.logdir, f))])),
      },
    }
  }

  /** SPEC §11.1 step 9: resume from the run's own Intermediate_checkpoints, else start from --restore_from. */
  private restore(): void {
    const own = join(this.logdir, 'Intermediate_checkpoints')
    const resume = listCheckpoints(own).length > 0
    const source = resume ? own : this.config.restore_from
    if (!source) return
    const ckpt = loadCheckpoint(existsSync(join(source, 'Intermediate_checkpoints')) ? join(source, 'Intermediate_checkpoints') : source)
    if (!ckpt) throw new V1lmError('E_BAD_FILE', `${source}: no checkpoint found (expected ckpt-N folders)`, 'restore_from')
    const { tensors, state } = ckpt.data
    for (const b of this.network.blocks) {
      const w = tensors[`weights/${b.name}`]
      if (!w) continue
      if (w.length !== b.weight.length) throw new V1lmError('E_BAD_FILE', `${ckpt.path}: ${b.name} has ${w.length} weights, the network ${b.weight.length} (a checkpoint of another network?)`, b.name)
      this.engine.setWeights(b.name, w)
    }
    const sameOptimizer = this.optimizer.blocks.every((b) => tensors[`adam_m/${b}`]?.length === this.network.blocks.find((x) => x.name === b)!.weight.length)
    if (sameOptimizer) {
      for (const b of this.optimizer.blocks) this.engine.setOptimizerState(b, { m: tensors[`adam_m/${b}`], v: tensors[`adam_v/${b}`] })
      this.optimizer.step = Number(state.optimizerStep ?? 0)
    } else {
      this.hooks.log('note: the checkpoint has no optimizer state for every trainable block: starting a fresh optimizer (SPEC §15.17)')
    }
    const ema: Record<string, Float32Array> = {}
    for (const a of this.network.areas) if (tensors[`ema/${a.name}`]) ema[a.name] = tensors[`ema/${a.name}`]
    if (Object.keys(ema).length === this.network.areas.length) this.loss.restore({ rng: resume ? (state.lossRng as number[]) : this.loss.state().rng, ema })
    if (resume) {
      this.epoch = Number(state.epoch)
      this.trial = Number(state.trial)
      this.globalStep = Number(state.globalStep)
      this.history = state.history as EpochRecord[]
      this.bestLoss = Number(state.bestLoss ?? Infinity)
      this.noImprove = Number(state.noImprove ?? 0)
      this.secondsSoFar = Number(state.secondsSoFar ?? 0)
      // Drop metric rows written after the checkpoint (a run killed mid-epoch).
      const bytes = state.metricsBytes as Record<string, number>
      for (const f of METRIC_FILES) {
        const file = join(this.logdir, f)
        if (existsSync(file) && statSync(file).size > (bytes[f] ?? 0)) truncateSync(file, bytes[f] ?? 0)
      }
      this.hooks.log(`resuming ${this.logdir} after epoch ${this.epoch}`)
    } else {
      this.hooks.log(`starting from ${ckpt.path}`)
    }
  }

  dispose(): void {
    this.engine.dispose()
  }
}
