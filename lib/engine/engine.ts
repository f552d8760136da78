/**
 * Typed facade over the native Engine: picks the backend, divides weights by lrScale once (SPEC §3.4),
 * re-types native errors, and exposes each long call as a Promise that runs off the JS thread.
 */
import { V1lmError, fromNative } from '../errors.js'
import { loadAddon, resolveBackend } from '../native.js'
import type {
  BackwardRequest,
  EngineInfo,
  EngineNetwork,
  EngineOptions,
  ForwardRequest,
  ForwardResult,
  UpdateRequest,
} from './types.js'

interface NativeEngine {
  forward(req: ForwardRequest): Promise<ForwardResult>
  backward(req: BackwardRequest): Promise<void>
  update(req: UpdateRequest): Promise<void>
  getWeights(block: string): Float32Array
  setWeights(block: string, w: Float32Array): void
  getGradients(block: string): Float32Array
  addGradients(block: string, g: Float32Array): void
  getOptimizerState(block: string): { m: Float32Array; v: Float32Array }
  setOptimizerState(block: string, s: { m: Float32Array; v: Float32Array }): void
  info(): EngineInfo
  dispose(): void
}
type CreateNative = (network: EngineNetwork, options: EngineOptions & { backend: 'cpu' | 'cuda' }) => Promise<NativeEngine>

function call<T>(f: () => T): T {
  try {
    return f()
  } catch (err) {
    throw fromNative(err)
  }
}
async function callAsync<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f()
  } catch (err) {
    throw fromNative(err)
  }
}

export class Engine {
  private constructor(
    private readonly native: NativeEngine,
    readonly backend: 'cpu' | 'cuda',
    readonly options: Readonly<EngineOptions>,
  ) {}

  /** Validates and compiles the network on the chosen backend (off the JS thread). */
  static async create(network: EngineNetwork, options: EngineOptions = {}): Promise<Engine> {
    const backend = resolveBackend(options.backend)
    const lrScale = options.lrScale ?? 1
    const blocks = network.blocks.map((b) => {
      if (!(b.weight instanceof Float32Array)) return b // the addon reports the field
      if (lrScale === 1) return b
      const weight = new Float32Array(b.weight.length)
      for (let s = 0; s < weight.length; s++) weight[s] = b.weight[s] / lrScale
      return { ...b, weight }
    })
    const create = loadAddon().createEngine as CreateNative
    const native = await callAsync(() => create({ ...network, blocks }, { ...options, backend }))
    return new Engine(native, backend, { ...options, backend })
  }

  /** Runs one trial of `steps` steps for the whole batch; returns observables and the final state. */
  forward(req: ForwardRequest): Promise<ForwardResult> {
    return callAsync(() => this.native.forward(req))
  }
  /** BPTT through the last forward; weight gradients of `trainable` blocks stay in the engine. */
  backward(req: BackwardRequest): Promise<void> {
    return callAsync(() => this.native.backward(req))
  }
  /** One optimizer step (Adam / exp-Adam / SGD) with the sign projection, executed natively. */
  update(req: UpdateRequest): Promise<void> {
    return callAsync(() => this.native.update(req))
  }
  /** Stored weights (w / lrScale) of a block in the network's synapse order. */
  getWeights(block: string): Float32Array {
    return call(() => this.native.getWeights(block))
  }
  setWeights(block: string, weights: Float32Array): void {
    call(() => this.native.setWeights(block, weights))
  }
  getGradients(block: string): Float32Array {
    return call(() => this.native.getGradients(block))
  }
  /** Adds gradients of terms outside the simulation (e.g. the weight regularizer) before an update. */
  addGradients(block: string, gradients: Float32Array): void {
    call(() => this.native.addGradients(block, gradients))
  }
  getOptimizerState(block: string): { m: Float32Array; v: Float32Array } {
    return call(() => this.native.getOptimizerState(block))
  }
  setOptimizerState(block: string, state: { m: Float32Array; v: Float32Array }): void {
    call(() => this.native.setOptimizerState(block, state))
  }
  info(): EngineInfo {
    return call(() => this.native.info())
  }
  /** Frees the engine's memory now (otherwise at garbage collection). */
  dispose(): void {
    call(() => this.native.dispose())
  }
}

export const createEngine = Engine.create

/** Spike of neuron i at step t of batch element b in a bit-packed raster. */
export function spikeAt(raster: Uint32Array, n: number, steps: number, b: number, t: number, i: number): boolean {
  const words = (n + 31) >>> 5
  return ((raster[(b * steps + t) * words + (i >>> 5)] >>> (i & 31)) & 1) === 1
}

/** Unpacks a raster into a 0/1 array of shape B·T·n. */
export function unpackRaster(raster: Uint32Array, n: number, steps: number, batch: number): Uint8Array {
  const out = new Uint8Array(batch * steps * n)
  const words = (n + 31) >>> 5
  for (let bt = 0; bt < batch * steps; bt++)
    for (let i = 0; i < n; i++) out[bt * n + i] = (raster[bt * words + (i >>> 5)] >>> (i & 31)) & 1
  return out
}
