/**
 * A float64 reference of SPEC §2–§5, written straight from the SPEC for tests only: a scalar reverse-mode
 * autodiff tape (so gradients come from differentiating the forward program, not from a hand-derived
 * adjoint) with the spike's custom surrogate derivative and the ρ-dampened synaptic path of SPEC §4.
 * Inputs are explicit (LGN spikes or analog current, BKG counts), so no RNG is involved.
 */
import type { EngineNetwork, NeuronTypeParams } from '../../lib/engine/types.js'

class Tape {
  val: number[] = []
  p1: number[] = []
  d1: number[] = []
  p2: number[] = []
  d2: number[] = []
  node(v: number, a = -1, da = 0, b = -1, db = 0): number {
    this.val.push(v)
    this.p1.push(a)
    this.d1.push(da)
    this.p2.push(b)
    this.d2.push(db)
    return this.val.length - 1
  }
  constant(v: number) {
    return this.node(v)
  }
  add(a: number, b: number) {
    return this.node(this.val[a] + this.val[b], a, 1, b, 1)
  }
  mul(a: number, b: number) {
    return this.node(this.val[a] * this.val[b], a, this.val[b], b, this.val[a])
  }
  scale(a: number, c: number) {
    return this.node(this.val[a] * c, a, c)
  }
  /** value = f(a), derivative given. */
  unary(a: number, value: number, derivative: number) {
    return this.node(value, a, derivative)
  }
  grad(seeds: Map<number, number>): Float64Array {
    const g = new Float64Array(this.val.length)
    for (const [k, v] of seeds) g[k] += v
    for (let k = this.val.length - 1; k >= 0; k--) {
      if (g[k] === 0) continue
      if (this.p1[k] >= 0) g[this.p1[k]] += g[k] * this.d1[k]
      if (this.p2[k] >= 0) g[this.p2[k]] += g[k] * this.d2[k]
    }
    return g
  }
}

export interface ReferenceOptions {
  batch: number
  steps: number
  maxDelay: number
  lrScale: number
  hardReset: boolean
  dampeningFactor: number
  gaussStd: number
  pseudoGauss: boolean
  recurrentDampeningFactor: number
  /** B·T·nInputs spikes (0/1) or analog current (already 1.3·p), or null. */
  lgnSpikes?: Uint8Array | null
  lgnCurrent?: Float32Array | null
  /** Per area, B·T·nBkg counts (null: no BKG input). */
  bkgCounts: (Float32Array | null)[]
  bins: { start: number; size: number; count: number }
  /** Per area, subsets (CSR). */
  traces: ({ offsets: Int32Array; indices: Int32Array } | null)[]
}

export interface ReferenceResult {
  spikes: Uint8Array[] // per area B·T·n
  voltages: Float64Array[] // per area B·T·n
  counts: Float64Array[]
  traces: Float64Array[]
  vreg: number[]
  /** dL/dw per block for L = Σ adjCounts·counts + Σ adjTraces·traces + Σ adjVreg·vreg. */
  gradients: Float64Array[]
}

const TAU_SYN = [5.5, 8.5, 2.8, 5.8]

export function simulateReference(
  net: EngineNetwork,
  o: ReferenceOptions,
  adjoints: { counts?: Float32Array; traces?: Float32Array; voltageRegularizer?: number }[],
): ReferenceResult {
  const tape = new Tape()
  const B = o.batch, T = o.steps, D = o.maxDelay
  const nA = net.areas.length
  // Weight leaves: the stored variable is w/lr_scale and inputs are multiplied by lr_scale (SPEC §3.4).
  const wLeaf = net.blocks.map((b) => Array.from(b.weight, (w) => tape.constant(w / o.lrScale)))
  // Receptor slots (SPEC §3.2): used receptors ascending per neuron, then unused smallest ids.
  const slotsOf = net.areas.map((area, a) => {
    const used: Set<number>[] = Array.from({ length: area.n }, () => new Set())
    for (const b of net.blocks) if (b.target === a) b.post.forEach((p, s) => used[p].add(b.receptor[s]))
    const R = Math.max(1, ...used.map((u) => u.size))
    const map = used.map((u) => {
      const order = [...u].sort((x, y) => x - y)
      for (let r = 0; r < 4 && order.length < R; r++) if (!u.has(r)) order.push(r)
      return order
    })
    return { R, map }
  })
  const consts = (p: NeuronTypeParams) => {
    const scale = p.V_th - p.E_L
    const tauM = p.C_m / p.g
    const decay = Math.exp(-1 / tauM)
    const vReset = ((p.V_reset ?? p.E_L) - p.E_L) / scale
    return { decay, cf: (1 - decay) / p.g, vReset, vGap: vReset - 1, tRef: p.t_ref,
      ascDecay: [Math.exp(-p.k[0]), Math.exp(-p.k[1])], ascAmp: [p.asc_amps[0] / scale, p.asc_amps[1] / scale] }
  }
  const surrogate = (v: number) => {
    const x = v - 1
    return o.pseudoGauss ? o.dampeningFactor * Math.exp(-(x * x) / (o.gaussStd * o.gaussStd))
      : o.dampeningFactor * Math.max(0, 1 - Math.abs(x))
  }

  // State per area: nodes for v, asc, rise, psc; r as plain numbers; z history as nodes (time −D..T−1).
  type S = { v: number[]; asc: number[]; rise: number[]; psc: number[]; r: number[]; zhist: number[][] }
  const zero = tape.constant(0)
  const st: S[] = net.areas.map((area, a) => {
    const R = slotsOf[a].R
    return {
      v: Array.from({ length: B * area.n }, (_, bi) => tape.constant(consts(area.types[area.nodeTypeIndex[bi % area.n]]).vReset)),
      asc: new Array(B * area.n * 2).fill(zero),
      rise: new Array(B * area.n * R).fill(zero),
      psc: new Array(B * area.n * R).fill(zero),
      r: new Array(B * area.n).fill(0),
      zhist: Array.from({ length: D }, () => new Array(B * area.n).fill(zero)),
    }
  })
  const res: ReferenceResult = {
    spikes: net.areas.map((a) => new Uint8Array(B * T * a.n)),
    voltages: net.areas.map((a) => new Float64Array(B * T * a.n)),
    counts: [], traces: [], vreg: [], gradients: [],
  }
  const vNodes: number[][] = net.areas.map(() => [])
  const zNodes: number[][] = net.areas.map(() => [])
  const rho = o.recurrentDampeningFactor

  for (let t = 0; t < T; t++) {
    // SPEC §5: every area's input from start-of-step buffers.
    const inputs = net.areas.map((area, a) => {
      const R = slotsOf[a].R
      const I: number[] = new Array(B * area.n * R).fill(zero)
      net.blocks.forEach((blk, k) => {
        if (blk.target !== a) return
        for (let s = 0; s < blk.weight.length; s++) {
          const slot = slotsOf[a].map[blk.post[s]].indexOf(blk.receptor[s])
          for (let b = 0; b < B; b++) {
            let x: number
            if (blk.kind === 'recurrent' || blk.kind === 'interarea') {
              const d = blk.delay![s]
              const src = st[blk.source]
              const zn = src.zhist[src.zhist.length - d][b * net.areas[blk.source].n + blk.pre[s]]
              if (tape.val[zn] === 0 && tape.p1[zn] < 0) continue // constant zero (initial buffer)
              x = tape.unary(zn, tape.val[zn], rho) // ρ·z + stopgrad((1 − ρ)·z)
            } else if (blk.kind === 'lgn') {
              const u = (b * T + t) * net.nInputs + blk.pre[s]
              const xv = o.lgnSpikes ? o.lgnSpikes[u] : o.lgnCurrent ? o.lgnCurrent[u] : 0
              if (xv === 0) continue
              x = tape.constant(xv)
            } else {
              const c = o.bkgCounts[a]
              if (!c) continue
              const xv = c[(b * T + t) * (net.nBkgSources ?? 100) + blk.pre[s]]
              if (xv === 0) continue
              x = tape.constant(xv)
            }
            const p = (b * area.n + blk.post[s]) * R + slot
            I[p] = tape.add(I[p], tape.mul(wLeaf[k][s], x))
          }
        }
      })
      return I.map((node) => tape.scale(node, o.lrScale))
    })
    for (let a = 0; a < nA; a++) {
      const area = net.areas[a]
      const R = slotsOf[a].R
      const s = st[a]
      const prevZ = s.zhist[D - 1]
      const newZ: number[] = new Array(B * area.n)
      for (let b = 0; b < B; b++)
        for (let i = 0; i < area.n; i++) {
          const bi = b * area.n + i
          const c = consts(area.types[area.nodeTypeIndex[i]])
          let pscSum = zero
          for (let k = 0; k < R; k++) pscSum = tape.add(pscSum, s.psc[bi * R + k])
          for (let k = 0; k < R; k++) {
            const tau = TAU_SYN[slotsOf[a].map[i][k]]
            const decay = Math.exp(-1 / tau)
            const oldRise = s.rise[bi * R + k]
            s.rise[bi * R + k] = tape.add(tape.scale(oldRise, decay), tape.scale(inputs[a][bi * R + k], Math.E / tau))
            s.psc[bi * R + k] = tape.add(tape.scale(s.psc[bi * R + k], decay), tape.scale(oldRise, decay))
          }
          const zp = prevZ[bi]
          s.r[bi] = Math.max(s.r[bi] + tape.val[zp] * c.tRef - 1, 0)
          const c1 = tape.add(pscSum, tape.add(s.asc[2 * bi], s.asc[2 * bi + 1]))
          for (let j = 0; j < 2; j++) s.asc[2 * bi + j] = tape.add(tape.scale(s.asc[2 * bi + j], c.ascDecay[j]), tape.scale(zp, c.ascAmp[j]))
          let v = tape.add(tape.add(tape.scale(s.v[bi], c.decay), tape.scale(c1, c.cf)), tape.scale(zp, c.vGap))
          const refractory = s.r[bi] > 0
          if (o.hardReset && refractory) v = tape.constant(c.vReset)
          s.v[bi] = v
          const vv = tape.val[v]
          const z = tape.unary(v, vv - 1 > 0 && !refractory ? 1 : 0, refractory ? 0 : surrogate(vv))
          newZ[bi] = z
          res.spikes[a][(b * T + t) * area.n + i] = tape.val[z]
          res.voltages[a][(b * T + t) * area.n + i] = vv
          vNodes[a].push(v)
          zNodes[a].push(z)
        }
      s.zhist.shift()
      s.zhist.push(newZ)
    }
  }
  // Observables and the loss L = Σ adjoint · observable.
  const seeds = new Map<number, number>()
  const seed = (node: number, g: number) => seeds.set(node, (seeds.get(node) ?? 0) + g)
  for (let a = 0; a < nA; a++) {
    const n = net.areas[a].n
    const { start, size, count } = o.bins
    const counts = new Float64Array(B * count * n)
    const adj = adjoints[a] ?? {}
    for (let b = 0; b < B; b++)
      for (let t = 0; t < T; t++)
        for (let i = 0; i < n; i++) {
          const z = zNodes[a][(t * B + b) * n + i]
          if (t >= start && t < start + size * count) {
            const k = Math.floor((t - start) / size)
            counts[(b * count + k) * n + i] += tape.val[z]
            if (adj.counts) seed(z, adj.counts[(b * count + k) * n + i])
          }
        }
    res.counts.push(counts)
    const ts = o.traces[a]
    const K = ts ? ts.offsets.length - 1 : 0
    const traces = new Float64Array(B * K * T)
    for (let b = 0; b < B; b++)
      for (let k = 0; k < K; k++)
        for (let t = 0; t < T; t++)
          for (let q = ts!.offsets[k]; q < ts!.offsets[k + 1]; q++) {
            const z = zNodes[a][(t * B + b) * n + ts!.indices[q]]
            traces[(b * K + k) * T + t] += tape.val[z]
            if (adj.traces) seed(z, adj.traces[(b * K + k) * T + t])
          }
    res.traces.push(traces)
    let vreg = 0
    for (const v of vNodes[a]) {
      const x = tape.val[v] - 1
      vreg += x * x
      if (adj.voltageRegularizer) seed(v, (adj.voltageRegularizer * 2 * x) / (B * T * n))
    }
    res.vreg.push(vreg / (B * T * n))
  }
  const g = tape.grad(seeds)
  res.gradients = wLeaf.map((leaves) => Float64Array.from(leaves, (k) => g[k]))
  return res
}
