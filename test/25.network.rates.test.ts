// Calibration of the untrained network (docs/network.md "Calibration of the untrained network"): per-type
// spontaneous (gray) and evoked (grating) rates of a built V1 2,000 on the CPU engine lie in a plausible band.
import t from 'tap'
import { buildNetwork } from '../lib/network/index.js'
import { measureTypeRates } from '../lib/network/rates.js'
import { loadTables } from '../lib/network/tables.js'
import { cellTypeOfPopName } from '../lib/losses/celltypes.js'

t.test('untrained V1 2,000: spontaneous 0.1-30 Hz per BKG-driven type, L4 Exc responds to gratings', async (t) => {
  const net = buildNetwork({ v1Neurons: 2000, lmNeurons: 0, realisticNeuronsRatio: false, seed: 3000 })
  const r = (await measureTypeRates(net, { steps: 500, skip: 100 })).v1
  t.comment(JSON.stringify(r))
  const tb = loadTables()
  // types whose BKG weight is fitted (published weight > 1e-6 pA); the others (L4 Exc, L4/L5/L6 PV) are LGN-driven
  const bkgDriven = new Set(tb.populations.filter((p, k) => tb.bkg.synWeight[k] > 1e-6).map((p) => cellTypeOfPopName(p.name)))
  t.equal(Object.keys(r.count).length, 17, 'all 17 cell types present')
  for (const [type, hz] of Object.entries(r.spontaneous)) {
    t.ok(hz <= 30, `${type}: spontaneous ${hz.toFixed(2)} Hz <= 30`)
    if (bkgDriven.has(type as never)) t.ok(hz >= 0.1, `${type}: spontaneous ${hz.toFixed(2)} Hz >= 0.1`)
    t.ok(r.evoked[type] <= 80, `${type}: evoked ${r.evoked[type].toFixed(2)} Hz <= 80`)
  }
  t.ok(r.evoked['L4 Exc'] >= 0.5, `L4 Exc evoked ${r.evoked['L4 Exc'].toFixed(2)} Hz >= 0.5`)
  t.ok(r.evoked['L4 Exc'] >= 2 * r.spontaneous['L4 Exc'], 'L4 Exc: evoked >= 2 x spontaneous')
})

t.test('measureTypeRates options', async (t) => {
  const net = buildNetwork({ v1Neurons: 300, lmNeurons: 0, realisticNeuronsRatio: false, seed: 3000, neuronsPerOutput: 0 })
  await t.rejects(measureTypeRates(net, { steps: 100, skip: 100 }), { code: 'E_BAD_ARGUMENT', field: 'skip' })
  const quiet = (await measureTypeRates(net, { steps: 150, skip: 50, evoked: false, lgn: false, connectNoise: false, directions: [0] })).v1
  for (const [type, hz] of Object.entries(quiet.spontaneous)) t.equal(hz, 0, `${type}: no input, no spikes`)
  t.ok(Object.values(quiet.evoked).every(Number.isNaN), 'evoked skipped')
})
