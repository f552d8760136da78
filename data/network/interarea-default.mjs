// Writes the default V1↔LM tables (reference JSON format) and calibrates their amplitudes so that the
// V1 100,000 + LM 30,000 build has the reference's measured sizes (SPEC §8): LM→V1 4,886,892, V1→LM 6,960,372.
// Laminar profiles: docs/network.md ("Inter-area default"). Run after `npm run build:ts`.
import fs from 'node:fs'
import { generateColumn, selectNeurons } from '../../dist/network/column.js'
import { connectInterarea, LM_CORE_RADIUS } from '../../dist/network/interarea.js'
import { LAMINAR_KEYS } from '../../dist/network/build.js'
import { loadTables } from '../../dist/network/tables.js'

const layerW = (e, pv, sst, htr) => ({ e, i_Pvalb: pv, i_Sst: sst, i_Htr3a: htr })
const PROFILES = {
  // feedforward: from L2/3 (and L5, L4) pyramids, densest in L4 and L2/3 of the target (Harris et al. 2019)
  v1_to_lm: {
    sigma: 75, target: 30000, src: { L2_e: 1, L4_e: 0.5, L5_e: 0.75, L6_e: 0.1 },
    trg: { 1: layerW(0, 0, 0, 0.25), 2: layerW(1, 1, 0.5, 0.5), 4: layerW(1, 1, 0.5, 0.5), 5: layerW(0.5, 0.5, 0.25, 0.25), 6: layerW(0.25, 0.25, 0.125, 0.125) },
    measured: 6960372,
  },
  // feedback: from L5/L6 (and L2/3) pyramids, to L1 and L5/L6, avoiding L4; strong on Htr3a (VIP) cells
  lm_to_v1: {
    sigma: 150, target: 100000, src: { L2_e: 0.5, L4_e: 0.1, L5_e: 1, L6_e: 0.75 },
    trg: { 1: layerW(0, 0, 0, 1), 2: layerW(0.75, 0.5, 0.75, 1), 4: layerW(0.1, 0.1, 0.1, 0.1), 5: layerW(1, 0.5, 0.75, 1), 6: layerW(0.75, 0.375, 0.5, 0.75) },
    measured: 4886892,
  },
}
const t = loadTables()
const present = new Set(t.populations.map((p) => p.laminarKey))
function table(dir, A0) {
  const [sArea, , tArea] = dir.split('_')
  const p = PROFILES[dir]
  const out = {}
  for (const [sKey, sw] of Object.entries(p.src)) {
    out[`${sArea}_${sKey}`] = {}
    for (const tKey of LAMINAR_KEYS) {
      if (!present.has(tKey)) continue
      const [, layer, , sub] = tKey.match(/^L(\d)_(e|i_(\w+))$/) ?? []
      const tw = p.trg[layer][sub ? `i_${sub}` : 'e']
      if (tw > 0) out[`${sArea}_${sKey}`][`${tArea}_${tKey}`] = { amplitude: Number((A0 * sw * tw).toPrecision(6)), sigma: p.sigma }
    }
  }
  return out
}
const col = generateColumn(t, 3000)
const set = (n) => {
  const sel = selectNeurons(col, { n, connectedSelection: true, coreOnly: false, coreRadius: 400, seed: 3000 })
  return { n: sel.length, x: Float32Array.from(sel, (c) => col.x[c]), z: Float32Array.from(sel, (c) => col.z[c]),
    tuningAngle: Float32Array.from(sel, (c) => col.tuningAngle[c]), id: Int32Array.from(sel),
    group: Uint8Array.from(sel, (c) => LAMINAR_KEYS.indexOf(t.populations[col.popIndex[c]].laminarKey)) }
}
const v1 = set(100000), lm = set(30000)
const count = (dir, A0) => dir === 'v1_to_lm'
  ? connectInterarea(v1, lm, table(dir, A0), 'v1', 'lm', LAMINAR_KEYS, LM_CORE_RADIUS / 400, 3000, 4).edges.post.length
  : connectInterarea(lm, v1, table(dir, A0), 'lm', 'v1', LAMINAR_KEYS, 400 / LM_CORE_RADIUS, 3000, 3).edges.post.length
for (const dir of Object.keys(PROFILES)) {
  const probe = 0.01
  const c0 = count(dir, probe)
  const A0 = (probe * PROFILES[dir].measured) / c0
  const c1 = count(dir, A0)
  const tb = table(dir, A0)
  fs.writeFileSync(new URL(`${dir}_connection_probabilities.json`, import.meta.url), JSON.stringify(tb, null, 1) + '\n')
  console.log(`${dir}: A0 ${A0.toFixed(5)}, edges ${c1} (reference ${PROFILES[dir].measured}, ${(100 * (c1 / PROFILES[dir].measured - 1)).toFixed(2)}%)`)
}
