// Builds the reference configurations and prints block sizes and times (recorded in docs/network.md).
// Run after `npm run build:ts`: node data/network/measure-sizes.mjs v1 lm [v1 lm ...]
// (pairs of V1 and LM neuron counts, ratio off; v1 0 = the whole 230,924-neuron column, lm 0 = no LM; the full
// column with the realistic LM is `0 32940` = int(230924 / 7.0104)). Peak RSS = process.resourceUsage().maxRSS.
import { buildNetwork } from '../../dist/network/build.js'
const args = process.argv.slice(2).map(Number)
for (let k = 0; k < args.length; k += 2) {
  const t0 = performance.now()
  const net = buildNetwork({ v1Neurons: args[k], lmNeurons: args[k + 1] ?? 0, realisticNeuronsRatio: false, neuronsPerOutput: 0 })
  const s = ((performance.now() - t0) / 1000).toFixed(1)
  console.log(`v1 ${net.areas[0].n} lm ${net.areas[1]?.n ?? 0}: ${s} s, rss ${(process.memoryUsage().rss / 2 ** 30).toFixed(2)} GiB, peak ${(process.resourceUsage().maxRSS / 2 ** 20).toFixed(2)} GiB, D ${net.maxDelay}`)
  for (const b of net.blocks) console.log(`  ${b.name.padEnd(14)} ${String(b.pre.length).padStart(10)}  ${(b.pre.length / net.areas[b.target].n).toFixed(2)} per target`)
  console.log('  timings ms', JSON.stringify(net.meta.timingsMs))
}
