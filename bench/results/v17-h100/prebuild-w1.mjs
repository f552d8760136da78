import { buildNetworksInParallel } from '../dist/bench/networks.js'
await buildNetworksInParallel([
  { label: 'W1', options: { v1Neurons: 10000, realisticNeuronsRatio: true, nOutput: 0 } },
], 'bench/.networks', console.log)
