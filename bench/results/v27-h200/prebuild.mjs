// Builds the bench networks into bench/.networks (the bench's cache) before the runs, beside the parity tests.
// Options as lib/bench/run.ts benchBuildOptions (same key order: the cache key is their JSON). Args: W1 W2 C.
import { buildNetworksInParallel } from '../dist/bench/networks.js'
const opts = {
  W1: { v1Neurons: 10000, realisticNeuronsRatio: true, nOutput: 0 },
  W2: { v1Neurons: 100000, realisticNeuronsRatio: false, lmNeurons: 30000, nOutput: 0 },
  C: { v1Neurons: 230924, realisticNeuronsRatio: true, nOutput: 0 },
}
const names = process.argv.slice(2)
const jobs = names.map((n) => ({ label: n, options: opts[n] }))
const t0 = Date.now()
await buildNetworksInParallel(jobs, 'bench/.networks', (l) => console.log(`${((Date.now() - t0) / 1000).toFixed(1)} s ${l}`))
