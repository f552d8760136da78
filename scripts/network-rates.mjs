// Spontaneous (gray) and evoked (drifting grating) rates per cell type of the built, untrained network on the CPU
// engine (docs/network.md "Calibration of the untrained network"). Needs `npm run build:ts`.
// Usage: node scripts/network-rates.mjs [--v1 2000] [--steps 500] [--skip 100] [--no-lgn] [--no-recurrent]
//        [--no-bkg] [--bkg-scale F] [--lgn-scale F] [--json]
// --bkg-scale / --lgn-scale multiply the built BKG / LGN weights (to explore the calibration).
import { parseArgs } from 'node:util'
import { buildNetwork } from '../dist/network/index.js'
import { measureTypeRates } from '../dist/network/rates.js'

const { values: a } = parseArgs({ options: {
  v1: { type: 'string', default: '2000' }, steps: { type: 'string', default: '500' }, skip: { type: 'string', default: '100' },
  seed: { type: 'string', default: '3000' }, 'no-lgn': { type: 'boolean' }, 'no-recurrent': { type: 'boolean' },
  'no-bkg': { type: 'boolean' }, 'bkg-scale': { type: 'string', default: '1' }, 'lgn-scale': { type: 'string', default: '1' }, json: { type: 'boolean' }, threads: { type: 'string', default: '0' },
} })
const net = buildNetwork({ v1Neurons: Number(a.v1), lmNeurons: 0, realisticNeuronsRatio: false, seed: Number(a.seed) })
for (const b of net.blocks) {
  const f = b.kind === 'bkg' ? Number(a['bkg-scale']) : b.kind === 'lgn' ? Number(a['lgn-scale']) : 1
  if (f !== 1) for (let k = 0; k < b.weight.length; k++) b.weight[k] *= f
}
const t0 = performance.now()
const r = await measureTypeRates(net, { steps: Number(a.steps), skip: Number(a.skip), lgn: !a['no-lgn'],
  connectRecurrent: !a['no-recurrent'], connectNoise: !a['no-bkg'], threads: Number(a.threads) })
if (a.json) console.log(JSON.stringify(r, null, 1))
else {
  for (const [area, t] of Object.entries(r)) {
    console.log(`${area}: ${net.areas[0].n} neurons, ${a.steps} ms trials (first ${a.skip} ms skipped), ${((performance.now() - t0) / 1000).toFixed(1)} s`)
    console.log('| cell type | n | spontaneous Hz | evoked Hz |\n|---|---|---|---|')
    for (const k of Object.keys(t.count)) console.log(`| ${k} | ${t.count[k]} | ${t.spontaneous[k].toFixed(2)} | ${t.evoked[k].toFixed(2)} |`)
  }
}
