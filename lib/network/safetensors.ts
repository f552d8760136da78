/**
 * Minimal safetensors reader/writer (https://github.com/huggingface/safetensors format): 8-byte little-endian
 * header length, a JSON header {name: {dtype, shape, data_offsets}, __metadata__?: {string: string}}, then the
 * raw little-endian data. Tensors are written 8-byte aligned so reading returns zero-copy typed-array views.
 */
import fs from 'node:fs'
import { V1lmError } from '../errors.js'

export type TypedArray = Float32Array | Float64Array | Int32Array | Uint32Array | Int16Array | Uint16Array | Int8Array | Uint8Array

const DTYPES: Record<string, new (b: ArrayBufferLike, o: number, n: number) => TypedArray> = {
  F32: Float32Array, F64: Float64Array, I32: Int32Array, U32: Uint32Array, I16: Int16Array, U16: Uint16Array, I8: Int8Array, U8: Uint8Array,
}

function dtypeOf(a: TypedArray): string {
  for (const [k, C] of Object.entries(DTYPES)) if (a instanceof (C as unknown as typeof Float32Array)) return k
  throw new V1lmError('E_BAD_ARGUMENT', 'unsupported tensor type', 'tensor')
}

export interface Tensor {
  data: TypedArray
  shape?: number[]
}

/** Serializes tensors (1-D unless `shape` is given) into one safetensors buffer. */
export function encodeSafetensors(tensors: Record<string, TypedArray | Tensor>, metadata?: Record<string, string>): Buffer {
  const header: Record<string, unknown> = {}
  if (metadata) header.__metadata__ = metadata
  let offset = 0
  const parts: { at: number; data: TypedArray }[] = []
  for (const [name, t] of Object.entries(tensors)) {
    const data = ArrayBuffer.isView(t) ? t : t.data
    const shape = ArrayBuffer.isView(t) ? [data.length] : t.shape ?? [data.length]
    if (shape.reduce((a, b) => a * b, 1) !== data.length) throw new V1lmError('E_BAD_ARGUMENT', `tensor ${name}: shape ${shape} does not match ${data.length} elements`, name)
    offset = Math.ceil(offset / 8) * 8
    header[name] = { dtype: dtypeOf(data), shape, data_offsets: [offset, offset + data.byteLength] }
    parts.push({ at: offset, data })
    offset += data.byteLength
  }
  let json = JSON.stringify(header)
  json += ' '.repeat((8 - ((8 + Buffer.byteLength(json)) % 8)) % 8)
  const hlen = Buffer.byteLength(json)
  const out = Buffer.alloc(8 + hlen + offset)
  out.writeBigUInt64LE(BigInt(hlen), 0)
  out.write(json, 8, 'utf8')
  for (const p of parts) out.set(new Uint8Array(p.data.buffer, p.data.byteOffset, p.data.byteLength), 8 + hlen + p.at)
  return out
}

export interface SafetensorsFile {
  tensors: Record<string, { data: TypedArray; shape: number[] }>
  metadata: Record<string, string>
}

/** Parses a safetensors buffer; arrays are views into `buf` when aligned, copies otherwise. */
export function decodeSafetensors(buf: Uint8Array, where = 'safetensors'): SafetensorsFile {
  const bad = (msg: string) => new V1lmError('E_BAD_FILE', `${where}: ${msg}`, where)
  if (buf.byteLength < 8) throw bad('file too short for a safetensors header')
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength)
  const hlen = Number(dv.getBigUint64(0, true))
  if (8 + hlen > buf.byteLength) throw bad('header length exceeds the file size')
  let header: Record<string, any>
  try {
    header = JSON.parse(Buffer.from(buf.buffer, buf.byteOffset + 8, hlen).toString('utf8'))
  } catch {
    throw bad('header is not valid JSON')
  }
  const base = 8 + hlen
  const out: SafetensorsFile = { tensors: {}, metadata: header.__metadata__ ?? {} }
  for (const [name, h] of Object.entries(header)) {
    if (name === '__metadata__') continue
    const C = DTYPES[h.dtype]
    if (!C) throw bad(`tensor ${name} has unsupported dtype ${h.dtype}`)
    const [b, e] = h.data_offsets as [number, number]
    const size = (C as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT
    const n = (e - b) / size
    if (!(e >= b && base + e <= buf.byteLength && Number.isInteger(n))) throw bad(`tensor ${name} has invalid data_offsets`)
    if ((h.shape as number[]).reduce((x: number, y: number) => x * y, 1) !== n) throw bad(`tensor ${name}: shape does not match its byte size`)
    const start = buf.byteOffset + base + b
    const data = start % size === 0 ? new C(buf.buffer, start, n) : new C(buf.slice(base + b, base + e).buffer, 0, n)
    out.tensors[name] = { data, shape: h.shape }
  }
  return out
}

export function writeSafetensors(file: string, tensors: Record<string, TypedArray | Tensor>, metadata?: Record<string, string>): void {
  fs.writeFileSync(file, encodeSafetensors(tensors, metadata))
}

export function readSafetensors(file: string): SafetensorsFile {
  let buf: Buffer
  try {
    buf = fs.readFileSync(file)
  } catch (err) {
    throw new V1lmError('E_BAD_FILE', `cannot read ${file}: ${(err as Error).message}`, file)
  }
  return decodeSafetensors(buf, file)
}
