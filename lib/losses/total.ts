/**
 * Total training loss of one split step (SPEC §10.6): per-area terms, core/annulus restriction, mean over areas,
 * and the adjoints handed back to the engine. One instance per training run; it owns the loss RNG streams and
 * the EMA rate normalizers (both saved in checkpoints through state()/restore()).
 */
import { V1lmError } from '../errors.js'
import { cellTypeIndices, isExcitatoryPopName } from './celltypes.js'
import { type BinSpec, type PopulationTraces, type SpikeCounts, trimmedBin } from './observables.js'
import { buildCrowdOsiTargets, crowdOsiLoss, crowdSpikesLoss, type CrowdOsiTargets, RateNormalizer } from './osi.js'
import { buildRateTargets, rateDistributionLoss, type RateTargets } from './rate.js'
import { buildWeightRegularizer, weightRegularizerLoss, type WeightRegularizer } from './regularizer.js'
import { LossRng } from './rng.js'
import { SUBSET_SIZE, sampleSynchronySubsets, synchronyLoss, type SynchronyConfig, type SynchronySample } from './sync.js'
import { type Area, defaultTargetsDir, fanoTarget, loadFanoCurves, loadNeuropixelsUnits, osiDsiTargets, rateSamplesHz, type Session } from './targets.js'

/** Core sizes: the neurons closest to the column axis (SPEC §10). */
export const CORE_SIZE: Record<Area, number> = { v1: 51978, lm: 7414 }
/** Cost factor of the annulus terms. */
export const ANNULUS_FACTOR = 0.1

export interface LossCosts {
  /** rate_cost (100) */ rate: number
  /** voltage_cost (1) */ voltage: number
  /** recurrent_weight_regularization (0) */ regularizer: number
  /** osi_cost (1) */ osi: number
  /** sync_cost (1) */ sync: number
}

export interface AreaLossSetup {
  area: Area
  /** pop_name per neuron of the area (from the network builder). */
  popNames: readonly string[]
  /** Preferred direction per neuron, degrees. */
  tuningAngleDeg: Float32Array
  /** Indices of the core neurons (the CORE_SIZE[area] nearest to the axis); needed when core_loss applies. */
  core?: Int32Array
  /** Initial recurrent weights (units of the trained variable) and edge-type ids, for the weight regularizer. */
  recurrent?: { initialWeights: Float32Array; edgeTypeIds: Int32Array }
  /** EMA normalizer restored from a checkpoint. */
  ema?: Float32Array
}

export interface TrainingLossOptions {
  areas: AreaLossSetup[]
  costs: LossCosts
  seqLen: number
  /** `delays` (pre, post) in steps: trimming of the rate and OSI losses. */
  delays: [number, number]
  batch: number
  coreLoss: boolean
  osiLossMethod: 'crowd_osi' | 'crowd_spikes'
  /** osi_loss_subtraction_ratio (crowd_spikes). */
  subtractionRatio: number
  /** fano_samples (500). */
  fanoSamples: number
  /** spontaneous_training: the OSI cost becomes 0. */
  spontaneousTraining: boolean
  seed: number
  targetsDir?: string
}

/** What the engine has to observe in the next forward pass of one area. */
export interface AreaRequest {
  bins: BinSpec[]
  subsets: SynchronySample
}

export interface AreaObservables {
  counts: SpikeCounts
  traces: PopulationTraces
  /** mean_{b,t,i}(v − 1)², computed by the engine. */
  voltageRegularizer: number
}

export interface AreaAdjoints {
  counts: Float32Array
  traces: Float32Array
  voltageRegularizer: number
  /** dL/dw of the recurrent block (absent when the area has no regularizer). */
  recurrentWeights?: Float32Array
}

export interface LossTerms {
  rate: number
  voltage: number
  regularizer: number
  osi: number
  sync: number
}

export interface LossEvaluation {
  total: number
  terms: LossTerms
  /** Per-area values before the mean over areas (annulus included in rate/osi). */
  perArea: Record<string, LossTerms>
  adjoints: AreaAdjoints[]
}

interface AreaState {
  setup: AreaLossSetup
  n: number
  core?: Int32Array
  annulus?: Int32Array
  rate: Record<Session, { core: RateTargets; annulus?: RateTargets }>
  osi?: { core: CrowdOsiTargets; annulus?: CrowdOsiTargets }
  sync: Record<Session, SynchronyConfig>
  regularizer?: WeightRegularizer
  normalizer: RateNormalizer
}

export class TrainingLoss {
  readonly options: TrainingLossOptions
  private readonly areas: AreaState[]
  private rng: LossRng
  private pending?: { spontaneous: boolean; samples: SynchronySample[] }

  constructor(o: TrainingLossOptions) {
    this.options = o
    if (o.areas.length === 0) throw new V1lmError('E_BAD_ARGUMENT', 'TrainingLoss needs at least one area', 'areas')
    this.rng = new LossRng(o.seed, 1)
    const dir = o.targetsDir ?? defaultTargetsDir()
    const nV1 = o.areas.find((a) => a.area === 'v1')?.popNames.length ?? 0
    const annulusOn = o.coreLoss && nV1 > CORE_SIZE.v1
    trimmedBin(o.seqLen, o.delays[0], o.delays[1])
    this.areas = o.areas.map((s) => {
      const n = s.popNames.length
      if (s.tuningAngleDeg.length !== n) throw new V1lmError('E_BAD_ARGUMENT', `${s.area}: ${s.tuningAngleDeg.length} tuning angles for ${n} neurons`, 'tuningAngleDeg')
      const types = cellTypeIndices(s.popNames)
      let core: Int32Array | undefined
      let annulus: Int32Array | undefined
      if (o.coreLoss && n >= CORE_SIZE[s.area]) {
        if (!s.core) throw new V1lmError('E_BAD_ARGUMENT', `core_loss with ${n} ${s.area} neurons needs the core indices (the ${CORE_SIZE[s.area]} nearest to the axis)`, 'core')
        core = s.core
        if (annulusOn) {
          const inCore = new Uint8Array(n)
          for (const i of core) inCore[i] = 1
          annulus = Int32Array.from({ length: n }, (_, i) => i).filter((i) => !inCore[i])
        }
      }
      const units = loadNeuropixelsUnits(s.area, dir)
      const rate = {} as AreaState['rate']
      for (const session of ['spont', 'evoked'] as const) {
        const ratesHz = rateSamplesHz(units, session === 'spont' ? 'spontaneous' : 'evoked')
        rate[session] = {
          core: buildRateTargets({ cellTypeOfNeuron: types, ratesHz, neurons: core, seed: o.seed }),
          annulus: annulus && annulus.length ? buildRateTargets({ cellTypeOfNeuron: types, ratesHz, neurons: annulus, seed: o.seed }) : undefined,
        }
      }
      let osi: AreaState['osi']
      if (o.osiLossMethod === 'crowd_osi') {
        const t = osiDsiTargets(units)
        osi = { core: buildCrowdOsiTargets(types, t, core), annulus: annulus && annulus.length ? buildCrowdOsiTargets(types, t, annulus) : undefined }
      }
      const excitatory = Int32Array.from((core ?? Int32Array.from({ length: n }, (_, i) => i)).filter((i) => isExcitatoryPopName(s.popNames[i])))
      const curves = loadFanoCurves(s.area, dir)
      const sync = {} as AreaState['sync']
      for (const session of ['spont', 'evoked'] as const) {
        sync[session] = { pool: excitatory, size: SUBSET_SIZE[s.area], samples: o.fanoSamples, target: fanoTarget(curves, session, o.seqLen), cost: o.costs.sync }
      }
      const regularizer = s.recurrent ? buildWeightRegularizer(s.recurrent.initialWeights, s.recurrent.edgeTypeIds, o.costs.regularizer) : undefined
      return { setup: s, n, core, annulus, rate, osi, sync, regularizer, normalizer: new RateNormalizer(n, s.ema) }
    })
  }

  /** Draws the synchrony subsets and says what the engine must observe for the next trial. Call before forward. */
  request(spontaneous: boolean): AreaRequest[] {
    const o = this.options
    const bin = trimmedBin(o.seqLen, o.delays[0], o.delays[1])
    const session: Session = spontaneous ? 'spont' : 'evoked'
    const samples = this.areas.map((a) => sampleSynchronySubsets(a.sync[session], o.batch, this.rng))
    this.pending = { spontaneous, samples }
    return samples.map((subsets) => ({ bins: [bin], subsets }))
  }

  /**
   * Loss and adjoints of one trial. Evoked trials first update the EMA normalizer (SPEC §10.4) and add the OSI term.
   * `recurrentWeights[k]` = current recurrent weights of area k (needed for the regularizer).
   */
  evaluate(obs: AreaObservables[], stimulusAngleDeg: ArrayLike<number>, recurrentWeights?: (Float32Array | undefined)[]): LossEvaluation {
    if (!this.pending) throw new V1lmError('E_BAD_ARGUMENT', 'call request() before each forward pass, then evaluate() once', 'request')
    if (obs.length !== this.areas.length) throw new V1lmError('E_BAD_ARGUMENT', `${obs.length} observables for ${this.areas.length} areas`, 'observables')
    const { spontaneous, samples } = this.pending
    this.pending = undefined
    const o = this.options
    const session: Session = spontaneous ? 'spont' : 'evoked'
    const nAreas = this.areas.length
    const osiCost = spontaneous || o.spontaneousTraining ? 0 : o.costs.osi
    const terms: LossTerms = { rate: 0, voltage: 0, regularizer: 0, osi: 0, sync: 0 }
    const perArea: Record<string, LossTerms> = {}
    const adjoints = this.areas.map((a, k): AreaAdjoints => {
      const { counts, traces, voltageRegularizer } = obs[k]
      if (counts.neurons !== a.n) throw new V1lmError('E_BAD_ARGUMENT', `${a.setup.area} counts have ${counts.neurons} neurons, the area ${a.n}`, 'counts')
      const t: LossTerms = { rate: 0, voltage: 0, regularizer: 0, osi: 0, sync: 0 }
      const dCounts = new Float32Array(counts.data.length)
      const add = (r: { value: number; adjoint: Float32Array }, into: Float32Array) => {
        for (let i = 0; i < into.length; i++) into[i] += r.adjoint[i] / nAreas
        return r.value
      }
      // SPEC §10.1 (+ annulus at 0.1×)
      t.rate = add(rateDistributionLoss(counts, a.rate[session].core, { cost: o.costs.rate, rng: this.rng }), dCounts)
      const rateAnnulus = a.rate[session].annulus
      if (rateAnnulus) t.rate += add(rateDistributionLoss(counts, rateAnnulus, { cost: ANNULUS_FACTOR * o.costs.rate, rng: this.rng }), dCounts)
      // SPEC §10.4: EMA first, then the OSI loss (evoked only)
      if (!spontaneous) a.normalizer.update(counts)
      if (osiCost !== 0) {
        if (a.osi) {
          const base = { stimulusAngleDeg, tuningAngleDeg: a.setup.tuningAngleDeg, normalizer: a.normalizer.values }
          t.osi = add(crowdOsiLoss(counts, a.osi.core, { ...base, cost: osiCost }), dCounts)
          if (a.osi.annulus) t.osi += add(crowdOsiLoss(counts, a.osi.annulus, { ...base, cost: ANNULUS_FACTOR * osiCost }), dCounts)
        } else {
          t.osi = add(crowdSpikesLoss(counts, { cost: osiCost, stimulusAngleDeg, tuningAngleDeg: a.setup.tuningAngleDeg, subtractionRatio: o.subtractionRatio, neurons: a.core }), dCounts)
        }
      }
      // SPEC §10.5
      const dTraces = new Float32Array(traces.data.length)
      t.sync = add(synchronyLoss(traces, samples[k], a.sync[session]), dTraces)
      // SPEC §10.2: value from the engine, adjoint = one number
      t.voltage = o.costs.voltage * voltageRegularizer
      // SPEC §10.3
      let dWeights: Float32Array | undefined
      if (a.regularizer) {
        const w = recurrentWeights?.[k]
        if (!w) throw new V1lmError('E_BAD_ARGUMENT', `${a.setup.area}: the weight regularizer needs the current recurrent weights`, 'recurrentWeights')
        const r = weightRegularizerLoss(w, a.regularizer)
        dWeights = new Float32Array(w.length)
        t.regularizer = add(r, dWeights)
      }
      perArea[a.setup.area] = t
      for (const key of Object.keys(terms) as (keyof LossTerms)[]) terms[key] += t[key] / nAreas
      return { counts: dCounts, traces: dTraces, voltageRegularizer: o.costs.voltage / nAreas, recurrentWeights: dWeights }
    })
    const total = terms.rate + terms.voltage + terms.regularizer + terms.osi + terms.sync
    return { total, terms, perArea, adjoints }
  }

  /** RNG and EMA state for a checkpoint. */
  state(): { rng: number[]; ema: Record<string, Float32Array> } {
    const ema: Record<string, Float32Array> = {}
    for (const a of this.areas) ema[a.setup.area] = Float32Array.from(a.normalizer.values)
    return { rng: this.rng.state(), ema }
  }

  restore(s: { rng: number[]; ema: Record<string, Float32Array> }): void {
    for (const a of this.areas) {
      const e = s.ema[a.setup.area]
      if (!e || e.length !== a.n) throw new V1lmError('E_BAD_ARGUMENT', `checkpoint EMA of ${a.setup.area} missing or of the wrong length`, 'ema')
    }
    this.rng = LossRng.fromState(s.rng)
    for (const a of this.areas) a.normalizer.values.set(s.ema[a.setup.area])
    this.pending = undefined
  }
}
