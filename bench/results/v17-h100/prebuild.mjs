import { buildNetworksInParallel } from '../dist/bench/networks.js'
await buildNetworksInParallel([
  { label: 'W2', options: { v1Neurons: 100000, realisticNeuronsRatio: false, lmNeurons: 30000, nOutput: 0 } },
  { label: 'W1', options: { v1Neurons: 10000, realisticNeuronsRatio: true, nOutput: 0 } },
], 'bench/.networks', console.log)
