// Fits one factor per cell type on the published BKG weights (bkg.json: syn_weight · nsyns 100) so that the untrained
// network's spontaneous rates (gray screen: spontaneous LGN + BKG + recurrence) match the median Neuropixels
// spontaneous rate of each type (data/targets), as Billeh et al. 2020 tuned their BKG weights to spontaneous activity.
// Populations whose published weight is ~0 (L4 excitatory, PV of L4/L5/L6: < 1e-6 pA) keep factor 1 (they stay
// LGN-driven, the published design). Writes data/network/bkg_calibration.json.
// Run: npm run build:ts && node data/network/calibrate-bkg.mjs [iterations=8] [v1Neurons=2000]
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadNeuropixelsUnits, rateSamplesHz } from '../../dist/losses/targets.js'
import { cellTypeOfPopName } from '../../dist/losses/celltypes.js'
import { buildNetwork } from '../../dist/network/index.js'
import { measureTypeRates } from '../../dist/network/rates.js'

const here = path.dirname(fileURLToPath(import.meta.url))
const iterations = Number(process.argv[2] ?? 8)
const n = Number(process.argv[3] ?? 2000)
const bkg = JSON.parse(fs.readFileSync(path.join(here, 'bkg.json'), 'utf8'))
const file = path.join(here, 'bkg_calibration.json')
const pops = Object.keys(bkg.populations).sort()
const median = (a) => { const s = [...a].sort((x, y) => x - y); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2 }
const samples = rateSamplesHz(loadNeuropixelsUnits('v1'), 'spontaneous')
const target = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]))
const tunable = (p) => bkg.populations[p].syn_weight > 1e-6
// build once with factor 1 (the file is read at build), then scale the BKG block per population:
// a BKG edge's edgeTypeId is its target population index (populations sorted by name)
const factor = Object.fromEntries(pops.map((p) => [p, 1]))
const write = (extra) => fs.writeFileSync(file, JSON.stringify({ ...extra, factor }, null, 1) + '\n')
write({ method: 'in progress' })
const net = buildNetwork({ v1Neurons: n, lmNeurons: 0, realisticNeuronsRatio: false, seed: 3000 })
const block = net.blocks.find((b) => b.kind === 'bkg')
const w0 = Float32Array.from(block.weight)
const typeFactor = {}
let rates
for (let it = 0; it <= iterations; it++) {
  for (let k = 0; k < w0.length; k++) block.weight[k] = w0[k] * factor[pops[block.edgeTypeId[k]]]
  rates = (await measureTypeRates(net, { steps: 500, skip: 100, evoked: false })).v1.spontaneous
  console.log(`iteration ${it}: ` + Object.entries(rates).map(([k, v]) => `${k} ${v.toFixed(2)} (${target[k].toFixed(2)})`).join(', '))
  if (it === iterations) break
  for (const [k, r] of Object.entries(rates)) {
    // damped multiplicative step in the log of the rate (offset 0.5 Hz keeps silent types moving)
    typeFactor[k] = Math.min(1.25, Math.max(0.8, ((target[k] + 0.5) / (r + 0.5)) ** 0.25))
  }
  for (const p of pops) if (tunable(p)) factor[p] *= typeFactor[cellTypeOfPopName(p)] ?? 1
}
for (const p of pops) factor[p] = Number(factor[p].toPrecision(4))
write({
  method: `calibrate-bkg.mjs: ${iterations} damped multiplicative steps on V1 ${n} (seed 3000, connected selection), 500-ms gray trials ` +
    '(first 100 ms skipped, batch 4), toward the median Neuropixels spontaneous rate per cell type (data/targets); ' +
    'populations with a published weight < 1e-6 pA keep 1',
  target_hz: target,
  final_rates_hz: Object.fromEntries(Object.entries(rates).map(([k, v]) => [k, Number(v.toFixed(3))])),
})
console.log('written', file)
