/** Minimal PNG writer (8-bit RGB, no interlace) for stimulus frames and LGN rate maps; zlib from node:zlib. */
import { deflateSync } from 'node:zlib'

const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})

export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length)
  out.writeUInt32BE(data.length, 0)
  out.write(type, 4, 'ascii')
  out.set(data, 8)
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length)
  return out
}

/** Encodes width × height RGB pixels (row-major, 3 bytes each) as a PNG file. */
export function encodePng(width: number, height: number, rgb: Uint8Array): Buffer {
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header[8] = 8 // bit depth
  header[9] = 2 // colour type RGB
  const raw = new Uint8Array(height * (1 + 3 * width))
  for (let y = 0; y < height; y++) raw.set(rgb.subarray(y * 3 * width, (y + 1) * 3 * width), y * (1 + 3 * width) + 1)
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', new Uint8Array(0)),
  ])
}

/** A movie frame (values in [−1, 1], gray 0) as gray levels, each pixel drawn `scale` × `scale`. */
export function frameToRgb(frame: Float32Array, rows: number, cols: number, scale = 1): Uint8Array {
  const out = new Uint8Array(rows * scale * cols * scale * 3)
  for (let y = 0; y < rows * scale; y++) {
    for (let x = 0; x < cols * scale; x++) {
      const v = frame[Math.floor(y / scale) * cols + Math.floor(x / scale)]
      out.fill(Math.round(Math.min(1, Math.max(0, (v + 1) / 2)) * 255), 3 * (y * cols * scale + x), 3 * (y * cols * scale + x) + 3)
    }
  }
  return out
}

/** Black → red → yellow → white colour for t in [0, 1]. */
export function heat(t: number): [number, number, number] {
  const v = Math.min(1, Math.max(0, t)) * 3
  return [Math.round(255 * Math.min(1, v)), Math.round(255 * Math.min(1, Math.max(0, v - 1))), Math.round(255 * Math.max(0, v - 2))]
}
