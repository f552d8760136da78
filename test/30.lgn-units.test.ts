import t from 'tap'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { LGN_MODEL_IDS, isComposite, loadLgnUnits, loadSpontaneousRates } from '../lib/lgn/units.js'
import { V1lmError } from '../lib/errors.js'

const shared = fileURLToPath(new URL('../../shared/data', import.meta.url))

t.test('17,400 units with the class counts of SPEC §6.1', async (t) => {
  const u = loadLgnUnits()
  t.equal(u.count, 17400)
  t.equal(loadLgnUnits(), u, 'cached')
  const counts = new Array(LGN_MODEL_IDS.length).fill(0)
  for (const m of u.modelIndex) counts[m]++
  t.same(counts, [1050, 750, 1050, 2250, 1200, 1200, 2250, 1200, 1050, 1500, 750, 1200, 1200, 750])
  let maxX = 0, maxY = 0
  for (let i = 0; i < u.count; i++) {
    maxX = Math.max(maxX, u.x[i])
    maxY = Math.max(maxY, u.y[i])
  }
  t.ok(maxX > 235 && maxX < 240, `x spans the 240-degree screen (max ${maxX})`)
  t.ok(maxY > 115 && maxY < 120, `y spans the 120-degree screen (max ${maxY})`)
  const first = LGN_MODEL_IDS.indexOf('sONsOFF_001')
  const i = u.modelIndex.indexOf(first)
  t.ok(Math.abs(u.sfSep[i] - 6) < 0.5, 'sONsOFF sf_sep near 6 degrees')
  t.ok(Number.isFinite(u.tuningAngle[i]))
  t.ok(Number.isNaN(u.sfSep[0]), 'single-subunit units have no sf_sep')
  t.equal(u.spontaneousRate[i], 4.0)
})

t.test('spontaneous rates equal the BMTK cell-metric means (SPEC §6.1)', async (t) => {
  const s = loadSpontaneousRates()
  const expected: Record<string, number> = {
    sON_TF1: 5.2, sON_TF2: 3.5333, sON_TF4: 8.25, sON_TF8: 1.7667, sOFF_TF1: 3.95, sOFF_TF2: 4.5317,
    sOFF_TF4: 3.679, sOFF_TF8: 3.62, sOFF_TF15: 5.075, tOFF_TF4: 3.9445, tOFF_TF8: 2.4377, tOFF_TF15: 1.0506,
    sONsOFF_001: 4.0, sONtOFF_001: 5.5,
  }
  for (const [k, v] of Object.entries(expected)) t.ok(Math.abs(s[k as keyof typeof s] - v) < 1e-4, `${k} = ${v}`)
  t.equal(isComposite('sONtOFF_001'), true)
  t.equal(isComposite('tOFF_TF8'), false)
})

t.test('the table is the 120×80 source mapped by x·2, y·1.5', { skip: !existsSync(shared) && 'no ../shared/data' }, async (t) => {
  const src = readFileSync(join(shared, 'galvan-v1_glif_model/lgn_model/data/lgn_full_col_cells_120x80.csv'), 'utf8')
    .trim().split('\n')
  const u = loadLgnUnits()
  for (const row of [1, 5000, 15451, 17400]) {
    const f = src[row].trim().split(/\s+/)
    t.ok(Math.abs(u.x[row - 1] - 2 * Number(f[2])) < 1e-6)
    t.ok(Math.abs(u.y[row - 1] - 1.5 * Number(f[3])) < 1e-6)
    t.ok(Math.abs(u.kpeaksDom[2 * (row - 1)] - Number(f[7])) < 1e-6)
  }
})

t.test('bad tables are rejected with E_BAD_FILE', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'lgn-units-'))
  const header = 'id model_id x y ei location spatial_size kpeaks_dom_0 kpeaks_dom_1 weight_dom_0 weight_dom_1 ' +
    'delay_dom_0 delay_dom_1 kpeaks_non_dom_0 kpeaks_non_dom_1 weight_non_dom_0 weight_non_dom_1 delay_non_dom_0 ' +
    'delay_non_dom_1 tuning_angle sf_sep'
  const ok = '0 sON_TF1 4 3 e LGN 2.2 57 134 0.98 -0.45 0 14 NaN NaN NaN NaN NaN NaN NaN NaN'
  const cases: [string, string, RegExp][] = [
    ['missing.csv', 'id model_id x\n0 sON_TF1 1', /column 'y' missing/],
    ['model.csv', header + '\n' + ok.replace('sON_TF1', 'tON_TF1'), /unknown model_id/],
    ['pos.csv', header + '\n' + ok.replace(' 4 3 ', ' 250 3 '), /outside the 240×120 screen/],
    ['size.csv', header + '\n' + ok.replace(' 2.2 ', ' 15 '), /spatial_size/],
    ['id.csv', header + '\n' + ok.replace(/^0/, '3'), /id 3 where 0/],
    ['fields.csv', header + '\n' + ok + ' 7', /22 fields/],
    ['kernel.csv', header + '\n' + ok.replace(' 57 ', ' NaN '), /must be finite/],
    ['composite.csv', header + '\n' + ok.replace('sON_TF1', 'sONsOFF_001').replace(/NaN/g, '1').replace(/1 1$/, 'NaN 6'), /tuning_angle and sf_sep/],
  ]
  for (const [name, text, re] of cases) {
    const p = join(dir, name)
    writeFileSync(p, text)
    let err: unknown
    try { loadLgnUnits(p) } catch (e) { err = e }
    t.ok(err instanceof V1lmError && err.code === 'E_BAD_FILE' && re.test(err.message), `${name}: ${String(err)}`)
  }
  const good = join(dir, 'good.csv')
  writeFileSync(good, header + '\n' + ok + '\n')
  t.equal(loadLgnUnits(good).count, 1)
  t.throws(() => loadLgnUnits(join(dir, 'absent.csv')), { code: 'E_BAD_FILE' })
  t.throws(() => loadSpontaneousRates(join(dir, 'absent.json')), { code: 'E_BAD_FILE' })
  writeFileSync(join(dir, 'sp.json'), '{"sON_TF1": -1}')
  t.throws(() => loadSpontaneousRates(join(dir, 'sp.json')), { code: 'E_BAD_FILE', field: 'sON_TF1' })
})
