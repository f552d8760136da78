// Derives data/lgn/ from ../shared/data (run once: `node data/lgn/derive.mjs [SHARED_DATA_DIR]`).
// 1. lgn_units_240x120.csv.gz: the 17,400-unit LGN table of Galván's V1_GLIF_model (120×80-degree frame)
//    mapped onto the reference's 240×120 screen (SPEC §6.1) by x' = 2x, y' = 1.5y. Positions were drawn
//    uniformly inside a grid of tiles over the field (BMTK `generate_positions_grids`), so this map gives
//    the same uniform-in-tiles layout over 240×120; sizes, sf_sep, tuning angles and temporal parameters
//    are field-independent and copied unchanged.
// 2. spontaneous_rates.json: SPEC §6.1 spontaneous rates from the BMTK cell-metric tables (cells grouped
//    by which F0_TF* column is largest, mean of `Spont`), plus the two-subunit values 4.0 and 5.5 Hz.
import { readFileSync, writeFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const shared = process.argv[2] ?? join(here, '..', '..', '..', 'shared', 'data')

const src = join(shared, 'galvan-v1_glif_model/lgn_model/data/lgn_full_col_cells_120x80.csv')
const lines = readFileSync(src, 'utf8').trim().split('\n')
const header = lines[0].trim().split(/\s+/)
const col = (name) => header.indexOf(name)
const out = [header.join(' ')]
// 9 significant digits: float32 values survive the round trip exactly.
const fmt = (v) => (v === 'NaN' ? 'NaN' : String(Number(Number(v).toPrecision(9))))
for (const line of lines.slice(1)) {
  const f = line.trim().split(/\s+/)
  if (f.length !== header.length) throw new Error(`bad row: ${line}`)
  f[col('x')] = String(2 * Number(f[col('x')]))
  f[col('y')] = String(1.5 * Number(f[col('y')]))
  out.push(f.map((v, i) => (i <= 1 || header[i] === 'ei' || header[i] === 'location' ? v : fmt(v))).join(' '))
}
writeFileSync(join(here, 'lgn_units_240x120.csv.gz'), gzipSync(out.join('\n') + '\n', { level: 9 }))

function spontByTf(file) {
  const rows = readFileSync(join(shared, 'allen-bmtk/bmtk/simulator/filternet/lgnmodel/cell_metrics', file), 'utf8')
    .trim().split('\n').map((l) => l.split(','))
  const h = rows[0]
  const f0 = ['F0_TF1', 'F0_TF2', 'F0_TF4', 'F0_TF8', 'F0_TF15'].map((n) => h.indexOf(n))
  const spont = h.indexOf('Spont')
  const groups = {}
  for (const r of rows.slice(1)) {
    let best = -1
    let bestV = -Infinity
    for (const i of f0) {
      const v = Number(r[i])
      if (r[i] !== 'NaN' && r[i] !== '' && v > bestV) { bestV = v; best = i }
    }
    if (best < 0) continue
    const key = h[best].slice(3)
    const s = Number(r[spont])
    if (r[spont] === 'NaN' || r[spont] === '') { groups[key] ??= []; continue }
    ;(groups[key] ??= []).push(s)
  }
  const res = {}
  for (const [k, v] of Object.entries(groups)) res[k] = v.reduce((a, b) => a + b, 0) / v.length
  return res
}
const rates = {}
for (const [cls, file] of [['sON', 'sON_cell_data.csv'], ['sOFF', 'sOFF_cell_data.csv'], ['tOFF', 'tOFF_cell_data.csv']]) {
  for (const [tf, v] of Object.entries(spontByTf(file))) rates[`${cls}_${tf}`] = v
}
rates.sONsOFF_001 = 4.0
rates.sONtOFF_001 = 5.5
writeFileSync(join(here, 'spontaneous_rates.json'), JSON.stringify(rates, null, 2) + '\n')
console.log(rates)
