import { buildNetworksInParallel } from '../dist/bench/networks.js'
await buildNetworksInParallel([
  { label: 'C', options: { v1Neurons: 230924, realisticNeuronsRatio: true, nOutput: 0 } },
], 'bench/.networks', console.log)
