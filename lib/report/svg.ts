/**
 * Minimal SVG figures for training reports (loss curves, model-vs-data box plots, rasters, tuning curves)
 * and their PNG rendering (resvg with the bundled DejaVu Sans, so text renders on machines without fonts).
 */
import { Resvg } from '@resvg/resvg-js'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

const require = createRequire(import.meta.url)
const FONT_FILE = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf', 'DejaVuSans.ttf')
const FONT = 'DejaVu Sans'
export const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf']

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
const fmt = (x: number) => (Math.abs(x) >= 1e4 || (Math.abs(x) < 1e-2 && x !== 0) ? x.toExponential(1) : Number(x.toPrecision(3)).toString())

export function renderPng(svg: string, scale = 2): Buffer {
  const r = new Resvg(svg, { fitTo: { mode: 'zoom', value: scale }, font: { fontFiles: [FONT_FILE], loadSystemFonts: false, defaultFontFamily: FONT } })
  return r.render().asPng()
}

/** Nice tick values covering [lo, hi]. */
export function ticks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo]
  const raw = (hi - lo) / count
  const mag = 10 ** Math.floor(Math.log10(raw))
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw
  const out: number[] = []
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)))
  return out
}

interface Frame {
  width: number
  height: number
  left: number
  right: number
  top: number
  bottom: number
}
const frame = (width = 640, height = 400): Frame => ({ width, height, left: 70, right: 20, top: 40, bottom: 55 })

function axes(f: Frame, title: string, xlabel: string, ylabel: string, yTicks: number[], sy: (v: number) => number, xTicks?: { v: number; label: string; x: number }[]): string {
  const parts = [`<rect width="${f.width}" height="${f.height}" fill="white"/>`,
    `<text x="${f.width / 2}" y="22" font-size="15" text-anchor="middle" font-family="${FONT}">${esc(title)}</text>`,
    `<line x1="${f.left}" y1="${f.height - f.bottom}" x2="${f.width - f.right}" y2="${f.height - f.bottom}" stroke="black"/>`,
    `<line x1="${f.left}" y1="${f.top}" x2="${f.left}" y2="${f.height - f.bottom}" stroke="black"/>`,
    `<text x="${f.width / 2}" y="${f.height - 12}" font-size="12" text-anchor="middle" font-family="${FONT}">${esc(xlabel)}</text>`,
    `<text transform="translate(16 ${(f.top + f.height - f.bottom) / 2}) rotate(-90)" font-size="12" text-anchor="middle" font-family="${FONT}">${esc(ylabel)}</text>`]
  for (const v of yTicks) {
    const y = sy(v)
    parts.push(`<line x1="${f.left - 4}" y1="${y}" x2="${f.width - f.right}" y2="${y}" stroke="#ddd"/>`,
      `<text x="${f.left - 6}" y="${y + 4}" font-size="10" text-anchor="end" font-family="${FONT}">${fmt(v)}</text>`)
  }
  for (const t of xTicks ?? [])
    parts.push(`<line x1="${t.x}" y1="${f.height - f.bottom}" x2="${t.x}" y2="${f.height - f.bottom + 4}" stroke="black"/>`,
      `<text x="${t.x}" y="${f.height - f.bottom + 16}" font-size="10" text-anchor="middle" font-family="${FONT}">${esc(t.label)}</text>`)
  return parts.join('')
}

export interface Series {
  name: string
  x: number[]
  y: number[]
}

/** Line plot of several series; `logY` plots log10 of positive values. */
export function linePlot(o: { title: string; xlabel: string; ylabel: string; series: Series[]; logY?: boolean; width?: number; height?: number }): string {
  const f = frame(o.width, o.height)
  const tr = (v: number) => (o.logY ? Math.log10(Math.max(v, 1e-12)) : v)
  const xs = o.series.flatMap((s) => s.x), ys = o.series.flatMap((s) => s.y.filter(Number.isFinite).map(tr))
  const [x0, x1] = xs.length ? [Math.min(...xs), Math.max(...xs)] : [0, 1]
  let [y0, y1] = ys.length ? [Math.min(...ys), Math.max(...ys)] : [0, 1]
  if (y1 === y0) { y0 -= 0.5; y1 += 0.5 }
  const sx = (v: number) => f.left + ((v - x0) / (x1 - x0 || 1)) * (f.width - f.left - f.right)
  const sy = (v: number) => f.height - f.bottom - ((v - y0) / (y1 - y0)) * (f.height - f.top - f.bottom)
  const xt = ticks(x0, x1).map((v) => ({ v, label: fmt(v), x: sx(v) }))
  const yt = ticks(y0, y1)
  const parts = [axes(f, o.title, o.xlabel, o.logY ? `log10 ${o.ylabel}` : o.ylabel, yt, sy, xt)]
  o.series.forEach((s, k) => {
    const color = PALETTE[k % PALETTE.length]
    const pts = s.x.map((x, i) => [x, tr(s.y[i])]).filter(([, y]) => Number.isFinite(y))
    if (pts.length > 1) parts.push(`<polyline fill="none" stroke="${color}" stroke-width="1.8" points="${pts.map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(' ')}"/>`)
    for (const [x, y] of pts) parts.push(`<circle cx="${sx(x).toFixed(1)}" cy="${sy(y).toFixed(1)}" r="2.2" fill="${color}"/>`)
    parts.push(`<rect x="${f.width - f.right - 150}" y="${f.top + 4 + 16 * k}" width="10" height="10" fill="${color}"/>`,
      `<text x="${f.width - f.right - 135}" y="${f.top + 13 + 16 * k}" font-size="11" font-family="${FONT}">${esc(s.name)}</text>`)
  })
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${f.width}" height="${f.height}">${parts.join('')}</svg>`
}

/** Quartiles and whiskers (1.5 IQR) of a sample. */
export function boxStats(values: number[]): { q1: number; median: number; q3: number; lo: number; hi: number } | undefined {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b)
  if (!v.length) return undefined
  const q = (p: number) => {
    const k = (v.length - 1) * p, i = Math.floor(k)
    return i + 1 < v.length ? v[i] + (k - i) * (v[i + 1] - v[i]) : v[i]
  }
  const q1 = q(0.25), q3 = q(0.75), iqr = q3 - q1
  return { q1, median: q(0.5), q3, lo: v.find((x) => x >= q1 - 1.5 * iqr)!, hi: [...v].reverse().find((x) => x <= q3 + 1.5 * iqr)! }
}

/** Side-by-side box plots per group (e.g. model vs Neuropixels rates per cell type). */
export function boxPlot(o: { title: string; ylabel: string; groups: { label: string; samples: number[][] }[]; sampleNames: string[]; width?: number; height?: number }): string {
  const f = frame(o.width ?? Math.max(640, 60 * o.groups.length + 100), o.height)
  f.bottom = 90
  const all = o.groups.flatMap((g) => g.samples.flat()).filter(Number.isFinite)
  const y0 = 0, y1 = Math.max(1e-9, ...all.map((x) => Math.min(x, Number.MAX_VALUE)))
  const sy = (v: number) => f.height - f.bottom - ((v - y0) / (y1 - y0)) * (f.height - f.top - f.bottom)
  const slot = (f.width - f.left - f.right) / Math.max(1, o.groups.length)
  const parts = [axes(f, o.title, '', o.ylabel, ticks(y0, y1), sy)]
  const k = o.sampleNames.length, bw = (slot * 0.8) / k
  o.groups.forEach((g, gi) => {
    const cx = f.left + slot * (gi + 0.5)
    parts.push(`<text transform="translate(${cx} ${f.height - f.bottom + 10}) rotate(45)" font-size="10" font-family="${FONT}">${esc(g.label)}</text>`)
    g.samples.forEach((s, si) => {
      const b = boxStats(s)
      if (!b) return
      const x = cx - slot * 0.4 + bw * si, color = PALETTE[si % PALETTE.length]
      parts.push(`<line x1="${x + bw / 2}" y1="${sy(b.lo)}" x2="${x + bw / 2}" y2="${sy(b.hi)}" stroke="${color}"/>`,
        `<rect x="${x + 1}" y="${sy(b.q3)}" width="${bw - 2}" height="${Math.max(0.5, sy(b.q1) - sy(b.q3))}" fill="${color}" fill-opacity="0.35" stroke="${color}"/>`,
        `<line x1="${x + 1}" y1="${sy(b.median)}" x2="${x + bw - 1}" y2="${sy(b.median)}" stroke="black" stroke-width="1.5"/>`)
    })
  })
  o.sampleNames.forEach((name, si) => parts.push(`<rect x="${f.width - f.right - 150}" y="${f.top + 4 + 16 * si}" width="10" height="10" fill="${PALETTE[si % PALETTE.length]}"/>`,
    `<text x="${f.width - f.right - 135}" y="${f.top + 13 + 16 * si}" font-size="11" font-family="${FONT}">${esc(name)}</text>`))
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${f.width}" height="${f.height}">${parts.join('')}</svg>`
}

/** Raster: one row per neuron in the given order, grouped into labelled bands (areas, layers). */
export function rasterPlot(o: { title: string; steps: number; bands: { label: string; rows: number; spikes: (t: number, row: number) => boolean; color?: string }[]; width?: number; height?: number; maxRows?: number }): string {
  const f = frame(o.width ?? 900, o.height ?? 600)
  f.left = 110
  const total = o.bands.reduce((s, b) => s + b.rows, 0)
  const h = f.height - f.top - f.bottom, w = f.width - f.left - f.right
  const rowH = h / Math.max(1, total)
  const sx = (t: number) => f.left + (t / o.steps) * w
  const parts = [`<rect width="${f.width}" height="${f.height}" fill="white"/>`,
    `<text x="${f.width / 2}" y="22" font-size="15" text-anchor="middle" font-family="${FONT}">${esc(o.title)}</text>`]
  let row0 = 0
  o.bands.forEach((b, k) => {
    const color = b.color ?? PALETTE[k % PALETTE.length]
    const y = (r: number) => f.top + (row0 + r) * rowH
    const dots: string[] = []
    for (let r = 0; r < b.rows; r++) for (let t = 0; t < o.steps; t++) if (b.spikes(t, r)) dots.push(`M${sx(t).toFixed(1)} ${y(r).toFixed(1)}h1.2v${Math.max(0.6, rowH).toFixed(2)}h-1.2z`)
    if (dots.length) parts.push(`<path d="${dots.join('')}" fill="${color}"/>`)
    parts.push(`<line x1="${f.left}" y1="${y(0)}" x2="${f.width - f.right}" y2="${y(0)}" stroke="#bbb"/>`,
      `<text x="${f.left - 6}" y="${(y(0) + y(b.rows)) / 2 + 4}" font-size="10" text-anchor="end" font-family="${FONT}">${esc(b.label)}</text>`)
    row0 += b.rows
  })
  for (const t of ticks(0, o.steps)) parts.push(`<text x="${sx(t)}" y="${f.height - f.bottom + 16}" font-size="10" text-anchor="middle" font-family="${FONT}">${t}</text>`)
  parts.push(`<text x="${f.left + w / 2}" y="${f.height - 12}" font-size="12" text-anchor="middle" font-family="${FONT}">time (ms)</text>`)
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${f.width}" height="${f.height}">${parts.join('')}</svg>`
}
