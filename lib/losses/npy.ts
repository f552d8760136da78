/** Minimal reader of NumPy .npy files (format 1.0–3.0, little-endian f8/f4/i8/i4, C or Fortran order). */
import { V1lmError } from '../errors.js'

export interface NpyArray {
  shape: number[]
  /** Values in C (row-major) order, as float64. */
  data: Float64Array
}

export function parseNpy(bytes: Uint8Array, file = '<npy>'): NpyArray {
  const bad = (why: string): never => {
    throw new V1lmError('E_BAD_FILE', `${file}: not a readable .npy file (${why})`, file)
  }
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]
  if (bytes.length < 10 || magic.some((b, i) => bytes[i] !== b)) bad('bad magic')
  const major = bytes[6]
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let headerLen: number
  let offset: number
  if (major === 1) {
    headerLen = view.getUint16(8, true)
    offset = 10
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) bad('truncated header')
    headerLen = view.getUint32(8, true)
    offset = 12
  } else return bad(`format version ${major}`)
  if (offset + headerLen > bytes.length) bad('truncated header')
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(offset, offset + headerLen))
  const descr = /'descr'\s*:\s*'([^']+)'/.exec(header)?.[1] ?? bad('no descr')
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1] ?? bad('no fortran_order')
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1] ?? bad('no shape')
  const shape = shapeText.split(',').map((s) => s.trim()).filter((s) => s.length > 0).map(Number)
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) bad(`shape (${shapeText})`)
  const count = shape.reduce((a, b) => a * b, 1)
  const kinds: Record<string, [number, (o: number) => number]> = {
    '<f8': [8, (o) => view.getFloat64(o, true)],
    '<f4': [4, (o) => view.getFloat32(o, true)],
    '<i8': [8, (o) => Number(view.getBigInt64(o, true))],
    '<i4': [4, (o) => view.getInt32(o, true)],
  }
  const kind = kinds[descr] ?? bad(`dtype ${descr} (supported: ${Object.keys(kinds).join(', ')})`)
  const [size, read] = kind
  const start = offset + headerLen
  if (start + count * size > bytes.length) bad('data shorter than its shape')
  const raw = new Float64Array(count)
  for (let i = 0; i < count; i++) raw[i] = read(start + i * size)
  if (fortran === 'False' || shape.length < 2) return { shape, data: raw }
  // Fortran order: transpose to C order.
  const data = new Float64Array(count)
  const nd = shape.length
  const idx = new Array<number>(nd).fill(0)
  for (let f = 0; f < count; f++) {
    let c = 0
    for (let d = 0; d < nd; d++) c = c * shape[d] + idx[d]
    data[c] = raw[f]
    for (let d = 0; d < nd; d++) {
      if (++idx[d] < shape[d]) break
      idx[d] = 0
    }
  }
  return { shape, data }
}
