// Run from the project root after `npx tsc -p .` and a W2 build (bench/.networks):
// node --max-old-space-size=8000 bench/results/v13-tiles/tiles.mjs bench/.networks/v1_100000_lm_30000_s3000_<hash>
// Pull-tile analysis of a built network's V1→V1 block: how many synapses of a (d, pre) row land in one post tile.
import { loadNetwork } from '../../../dist/network/format.js'
const net = loadNetwork(process.argv[2])
const A = net.areas[0], n = A.n, D = net.maxDelay
const blk = net.blocks.find((b) => b.kind === 'recurrent' && b.source === 0)
const nnz = blk.pre.length
function zorder(n, x, z) {
  const xs = [...x].sort((a, b) => a - b), zs = [...z].sort((a, b) => a - b)
  const [x0, x1, z0, z1] = [xs[0], xs[xs.length - 1], zs[0], zs[zs.length - 1]]
  const key = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const qx = Math.min(65535, Math.floor((x[i] - x0) / (x1 - x0 + 1e-9) * 65536)), qz = Math.min(65535, Math.floor((z[i] - z0) / (z1 - z0 + 1e-9) * 65536))
    let k = 0
    for (let bit = 15; bit >= 0; bit--) k = k * 4 + ((qx >> bit) & 1) * 2 + ((qz >> bit) & 1)
    key[i] = k
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => key[a] - key[b])
  const rank = new Int32Array(n)
  order.forEach((i, r) => { rank[i] = r })
  return rank
}
const identity = Int32Array.from({ length: n }, (_, i) => i)
const zr = zorder(n, A.x, A.z)
const perm = Int32Array.from({ length: n }, (_, i) => i)
for (let i = n - 1; i > 0; i--) { const j = Math.floor(Math.random() * (i + 1)); [perm[i], perm[j]] = [perm[j], perm[i]] }
console.log(`V1→V1: ${nnz} synapses, ${n} neurons, D ${D}`)
for (const [name, rank] of [['builder order', identity], ['z-order (x, z)', zr], ['random', perm]]) {
  for (const tile of [256, 1024, 4096]) {
    const nt = Math.ceil(n / tile)
    const keys = new Int32Array(nnz)
    for (let s = 0; s < nnz; s++) keys[s] = ((blk.delay[s] - 1) * n + blk.pre[s]) * nt + Math.floor(rank[blk.post[s]] / tile)
    keys.sort()
    let seg = 0
    for (let s = 0; s < nnz; s++) if (s === 0 || keys[s] !== keys[s - 1]) seg++
    console.log(`${name}, post tiles of ${tile} neurons: ${seg} (row, tile) segments, ${(nnz / seg).toFixed(2)} synapses per segment`)
  }
}
// 2D blocks: (pre group of P neurons, post tile of Q neurons) pairs holding synapses, in z-order.
for (const P of [128, 512, 2048]) for (const Q of [256, 1024]) {
  const nq = Math.ceil(n / Q)
  const keys = new Int32Array(nnz)
  for (let s = 0; s < nnz; s++) keys[s] = Math.floor(zr[blk.pre[s]] / P) * nq + Math.floor(zr[blk.post[s]] / Q)
  keys.sort()
  let pairs = 0
  for (let s = 0; s < nnz; s++) if (s === 0 || keys[s] !== keys[s - 1]) pairs++
  const xBytes = pairs * Q * 3 * 80, gather = nnz * 80
  console.log(`z-order blocks of ${P} pre × ${Q} post: ${pairs} pairs, ${(nnz / pairs).toFixed(0)} synapses per pair; tile loads ${(xBytes / 1e9).toFixed(2)} GB per pass vs per-synapse gathers ${(gather / 1e9).toFixed(2)} GB (dense f32 rows, R 3)`)
}
// Reach: the share of the Z-ordered tiles of 1,024 neurons that one presynaptic neuron's synapses touch.
{
  const Q = 1024, nq = Math.ceil(n / Q)
  const keys = new Int32Array(nnz)
  for (let s = 0; s < nnz; s++) keys[s] = blk.pre[s] * nq + Math.floor(zr[blk.post[s]] / Q)
  keys.sort()
  let pairs = 0
  for (let s = 0; s < nnz; s++) if (s === 0 || keys[s] !== keys[s - 1]) pairs++
  const pres = new Set(blk.pre).size
  console.log(`reach: a presynaptic neuron's V1 synapses touch ${(pairs / pres).toFixed(1)} of ${nq} Z-ordered tiles of ${Q} neurons (${(100 * pairs / pres / nq).toFixed(1)} %), ${(nnz / pres).toFixed(0)} synapses each`)
}
