import t from 'tap'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { deriveTargets, globalOsi, SOURCE_FILES, typeFromLayerWaveform } from '../lib/losses/derive.js'
import { parseNpy } from '../lib/losses/npy.js'
import { parseTable, column } from '../lib/losses/csv.js'
import { defaultTargetsDir, fanoTarget, loadFanoCurves, loadNeuropixelsUnits, osiDsiTargets, rateSamplesHz, type NeuropixelsUnit } from '../lib/losses/targets.js'

const shared = fileURLToPath(new URL('../../shared/data/', import.meta.url))

function npyBytes(header: string, major: number, payload: ArrayBufferView): Uint8Array {
  const pre = major === 1 ? 10 : 12
  let h = header
  while ((pre + h.length + 1) % 16 !== 0) h += ' '
  h += '\n'
  const out = new Uint8Array(pre + h.length + payload.byteLength)
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, major, 0])
  const dv = new DataView(out.buffer)
  if (major === 1) dv.setUint16(8, h.length, true)
  else dv.setUint32(8, h.length, true)
  out.set(new TextEncoder().encode(h), pre)
  out.set(new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength), pre + h.length)
  return out
}

t.test('.npy reader', async (t) => {
  const c = parseNpy(npyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }", 1, Float64Array.of(1, 2, 3, 4, 5, NaN)))
  t.same(c.shape, [2, 3])
  t.same(Array.from(c.data).slice(0, 5), [1, 2, 3, 4, 5])
  t.ok(Number.isNaN(c.data[5]))
  const f = parseNpy(npyBytes("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }", 2, Float32Array.of(1, 4, 2, 5, 3, 6)))
  t.same(Array.from(f.data), [1, 2, 3, 4, 5, 6], 'Fortran order transposed to C order')
  t.same(Array.from(parseNpy(npyBytes("{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }", 1, BigInt64Array.of(7n, -2n))).data), [7, -2])
  t.same(Array.from(parseNpy(npyBytes("{'descr': '<i4', 'fortran_order': False, 'shape': (), }", 3, Int32Array.of(9))).data), [9])
  t.throws(() => parseNpy(new Uint8Array(4)), { code: 'E_BAD_FILE' })
  t.throws(() => parseNpy(npyBytes("{'descr': '>f8', 'fortran_order': False, 'shape': (1,), }", 1, Float64Array.of(1))), { code: 'E_BAD_FILE' })
  t.throws(() => parseNpy(npyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (4,), }", 1, Float64Array.of(1))), { code: 'E_BAD_FILE' })
  const bad = npyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", 1, Float64Array.of(1))
  bad[6] = 9
  t.throws(() => parseNpy(bad), { code: 'E_BAD_FILE' })
})

t.test('OSI/DSI targets and rate samples: NaN handling of SPEC §10.4', async (t) => {
  const u = (cellType: NeuropixelsUnit['cellType'], osi: number, dsi: number, maxR: number, ave: number, sp = 1): NeuropixelsUnit =>
    ({ unitId: 'x', cellType, origin: 't', osi, dsi, maxMeanRateHz: maxR, aveRateHz: ave, spontRateHz: sp })
  const units = [
    u('L4 Exc', 0.2, 0.1, 5, 2),
    u('L4 Exc', 0.4, 0.3, 5, 2),
    u('L4 Exc', 0.9, 0.9, 0.4, 0.3), // max_mean_rate < 0.5: OSI/DSI → NaN, unit dropped from the means
    u('L4 Exc', 0.9, 0.9, 5, 0), // Ave_Rate == 0: dropped
    u('L4 Exc', NaN, NaN, 5, 2, NaN),
    u('L5 PV', 0.3, NaN, 5, 2), // DSI unmeasured (LM-style)
    u('L6 SST', NaN, NaN, 5, 2),
  ]
  const tg = osiDsiTargets(units)
  t.equal(tg.length, 2, 'types without any OSI get no target')
  t.ok(Math.abs(tg[0].osi - 0.3) < 1e-12 && Math.abs((tg[0].dsi as number) - 0.2) < 1e-12)
  t.same(tg[1], { cellType: 'L5 PV', osi: 0.3, dsi: null })
  const ev = rateSamplesHz(units, 'evoked')
  t.equal(ev['L4 Exc']!.length, 5, 'rate samples keep units OSI filtering drops')
  t.equal(rateSamplesHz(units, 'spontaneous')['L4 Exc']!.length, 4, 'NaN rates dropped')
  t.ok(globalOsi([1, 0, 1, 0], [0, 45, 90, 135]) < 1e-15)
  t.ok(Math.abs(globalOsi([1, 0, 0, 0], [0, 45, 90, 135]) - 1) < 1e-15)
  t.ok(Number.isNaN(globalOsi([0, 0, 0, 0], [0, 45, 90, 135])))
  t.equal(typeFromLayerWaveform('2', 'RS'), 'L2/3 Exc')
  t.equal(typeFromLayerWaveform('6', 'FS'), 'L6 PV')
  t.equal(typeFromLayerWaveform('5', 'Other'), null)
  t.equal(typeFromLayerWaveform('0', 'RS'), null)
})

t.test('committed targets: unit counts per type and Fano curves (SPEC §10.4, §10.5, §15.3)', async (t) => {
  const v1 = loadNeuropixelsUnits('v1')
  const lm = loadNeuropixelsUnits('lm')
  t.equal(v1.length, 3156)
  const count = (us: NeuropixelsUnit[], ct: string) => us.filter((x) => x.cellType === ct).length
  t.same([count(v1, 'L5 Exc'), count(v1, 'L4 Exc'), count(v1, 'L2/3 Exc'), count(v1, 'L6 Exc'), count(v1, 'L1 Htr3a'), count(v1, 'L2/3 Htr3a')], [975, 629, 503, 344, 17, 5])
  t.equal(lm.length, 1105)
  t.equal(lm.filter((x) => x.origin === 'visl_fc').length, 1002)
  t.ok(lm.filter((x) => x.origin === 'visl_fc').every((x) => Number.isNaN(x.dsi)), 'LM: no DSI from 4 directions')
  t.equal(osiDsiTargets(v1).length, 17, 'every V1 type has an OSI/DSI target')
  t.ok(osiDsiTargets(v1).every((x) => x.dsi !== null))
  const v1Curves = loadFanoCurves('v1')
  t.equal(v1Curves.curves.length, 4)
  t.equal(v1Curves.curves[0].sessions.length, 32)
  t.equal(loadFanoCurves('lm').curves[0].sessions.length, 25)
  const at500 = fanoTarget(v1Curves, 'evoked', 500)
  t.same(at500.binSizesMs, [1, 1, 2, 3, 4, 6, 9, 13, 18, 26, 38, 55, 78, 113], 'seq_len 500 = the reference (300-ms file)')
  t.ok(Math.abs(at500.fano[0] - 1.0188) < 1e-3 && Math.abs(at500.fano[7] - 1.2392) < 1e-3)
  const at600 = fanoTarget(v1Curves, 'evoked', 600)
  t.equal(at600.fileDurationMs, 300, 'seq_len 600 (no 400-ms file): nearest curve')
  t.same(at600.binSizesMs, at500.binSizesMs, 'unmeasured bins of the 300-ms curve dropped')
  const at2000 = fanoTarget(v1Curves, 'evoked', 2000)
  t.equal(at2000.fileDurationMs, 1800)
  t.equal(at2000.binSizesMs.length, 19)
  t.equal(fanoTarget(v1Curves, 'spont', 1200).fileDurationMs, 1800, 'log-nearest: 1000 ms → 1800-ms curve')
  t.throws(() => fanoTarget(v1Curves, 'evoked', 201), { code: 'E_BAD_ARGUMENT' })
  t.throws(() => fanoTarget({ ...v1Curves, curves: [] }, 'evoked', 500), { code: 'E_BAD_FILE' })
  t.throws(() => loadNeuropixelsUnits('v1', '/nonexistent'), { code: 'E_BAD_FILE' })
})

t.test('derivation from ../shared/data reproduces data/targets', { skip: existsSync(join(shared, SOURCE_FILES.v4)) ? false : 'shared/data absent' }, async (t) => {
  const out = mkdtempSync(join(tmpdir(), 'v1lm-targets-'))
  try {
    const rep = deriveTargets(shared, out)
    for (const f of rep.files) t.ok(readFileSync(join(out, f)).equals(readFileSync(join(defaultTargetsDir(), f))), `${f} is reproduced byte for byte`)
    t.same(rep.lm, { visl: 1142, creTagged: 24, noLayerOrWaveform: 116, exc: 861, pv: 141, shared: 103 })
    t.equal(rep.unitsPerType.v1['L2/3 PV'], 133)
    // The Exc/PV rule used for LM reproduces the V1 table's labels of its non-opto-tagged units.
    const read = (rel: string) => parseTable(readFileSync(join(shared, rel), 'utf8'), ',', rel)
    const layer = read(SOURCE_FILES.layer)
    const wave = read(SOURCE_FILES.waveform)
    const L = new Map(layer.rows.map((r) => [r[column(layer, 'ecephys_unit_id', '')], r[column(layer, 'cortical_layer', '')]]))
    const W = new Map(wave.rows.map((r) => [r[column(wave, 'ecephys_unit_id', '')], r[column(wave, 'waveform_type', '')]]))
    const cre = new Set(Array.from(parseNpy(readFileSync(join(shared, SOURCE_FILES.cre))).data, String))
    let checked = 0
    let agree = 0
    for (const u of loadNeuropixelsUnits('v1')) {
      if (cre.has(u.unitId) || L.get(u.unitId) === '1') continue
      checked++
      if (typeFromLayerWaveform(L.get(u.unitId) ?? '', W.get(u.unitId) ?? '') === u.cellType) agree++
    }
    t.ok(checked > 2900, `${checked} non-tagged V1 units checked`)
    t.equal(agree, checked, 'layer + waveform rule = v4 labels')
  } finally {
    rmSync(out, { recursive: true, force: true })
  }
})
