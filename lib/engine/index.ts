export * from './types.js'
export { Engine, createEngine, resolveBackend, spikeAt, unpackRaster } from './engine.js'
export { randomNetwork, mulberry32, exampleTypes, type RandomNetworkOptions } from './random-network.js'
export { philox4x32, drawLgnSpikes, drawBkgCounts } from './rng.js'
