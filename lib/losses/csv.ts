/** Tiny delimited-text reader/writer for the target tables (quotes, NaN cells). */
import { V1lmError } from '../errors.js'

export interface Table {
  header: string[]
  rows: string[][]
}

export function splitLine(line: string, delimiter: string): string[] {
  const out: string[] = []
  let cur = ''
  let quoted = false
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"'
        i++
      } else if (ch === '"') quoted = false
      else cur += ch
    } else if (ch === '"') quoted = true
    else if (ch === delimiter) {
      out.push(cur)
      cur = ''
    } else cur += ch
  }
  out.push(cur)
  return out
}

export function parseTable(text: string, delimiter: string, file: string): Table {
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0)
  if (lines.length === 0) throw new V1lmError('E_BAD_FILE', `${file}: empty table`, file)
  const header = splitLine(lines[0], delimiter)
  const rows = lines.slice(1).map((l, k) => {
    const r = splitLine(l, delimiter)
    if (r.length !== header.length) throw new V1lmError('E_BAD_FILE', `${file}: line ${k + 2} has ${r.length} fields, the header ${header.length}`, file)
    return r
  })
  return { header, rows }
}

export function column(t: Table, name: string, file: string): number {
  const k = t.header.indexOf(name)
  if (k < 0) throw new V1lmError('E_BAD_FILE', `${file}: no column "${name}" (columns: ${t.header.join(', ')})`, file)
  return k
}

/** Number of a cell; '', 'nan', 'NaN' → NaN. */
export function num(cell: string): number {
  if (cell === '' || cell.toLowerCase() === 'nan') return NaN
  return Number(cell)
}

export function formatCell(x: number | string): string {
  if (typeof x === 'string') return /[",\n]/.test(x) ? `"${x.replace(/"/g, '""')}"` : x
  return Number.isNaN(x) ? '' : String(x)
}
