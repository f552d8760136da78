/**
 * Network directory: `network.json` (manifest: areas' scalars and node types, blocks' names and sizes, meta)
 * + `arrays.safetensors` (every array). Written atomically (temporary directory, then rename).
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { V1lmError } from '../errors.js'
import { buildNetwork, type BuildOptions } from './build.js'
import { readSafetensors, writeSafetensors, type TypedArray } from './safetensors.js'
import type { AreaNetwork, ConnectionBlock, Network } from './types.js'

export const FORMAT = 'v1lm-network'
export const FORMAT_VERSION = 1

const AREA_ARRAYS = ['nodeTypeIndex', 'x', 'y', 'z', 'tuningAngle', 'nodeTypeId', 'coreMask', 'columnId'] as const
const BLOCK_ARRAYS = ['pre', 'post', 'receptor', 'delay', 'weight', 'edgeTypeId'] as const

export function saveNetwork(net: Network, dir: string): void {
  validateNetwork(net)
  const tensors: Record<string, TypedArray> = {}
  const areas = net.areas.map((a, i) => {
    for (const k of AREA_ARRAYS) tensors[`areas.${i}.${k}`] = a[k]
    for (const [k, v] of Object.entries(a.laminarIndices)) tensors[`areas.${i}.laminar.${k}`] = v
    a.readoutNeuronIds.forEach((r, j) => { tensors[`areas.${i}.readout.${j}`] = r })
    return { name: a.name, n: a.n, types: a.types, popName: a.popName, laminarKeys: Object.keys(a.laminarIndices), nReadout: a.readoutNeuronIds.length }
  })
  const blocks = net.blocks.map((b, i) => {
    for (const k of BLOCK_ARRAYS) tensors[`blocks.${i}.${k}`] = b[k]
    return { name: b.name, kind: b.kind, target: b.target, source: b.source, nSynapses: b.pre.length }
  })
  const manifest = {
    format: FORMAT, version: FORMAT_VERSION, arrays: 'arrays.safetensors',
    nInputs: net.nInputs, nBkgSources: net.nBkgSources, maxDelay: net.maxDelay, seed: net.seed, areas, blocks, meta: net.meta,
  }
  const parent = path.dirname(path.resolve(dir))
  fs.mkdirSync(parent, { recursive: true })
  const tmp = fs.mkdtempSync(path.join(parent, `.${path.basename(dir)}.tmp-`))
  try {
    writeSafetensors(path.join(tmp, 'arrays.safetensors'), tensors, { format: FORMAT })
    fs.writeFileSync(path.join(tmp, 'network.json'), JSON.stringify(manifest, null, 1) + '\n')
    fs.rmSync(dir, { recursive: true, force: true })
    fs.renameSync(tmp, dir)
  } catch (err) {
    fs.rmSync(tmp, { recursive: true, force: true })
    throw err
  }
}

export function loadNetwork(dir: string): Network {
  const mf = path.join(dir, 'network.json')
  let m: any
  try {
    m = JSON.parse(fs.readFileSync(mf, 'utf8'))
  } catch (err) {
    throw new V1lmError('E_BAD_FILE', `cannot read network manifest ${mf}: ${(err as Error).message}; build one with \`v1lm build-network\``, mf)
  }
  if (m.format !== FORMAT || m.version !== FORMAT_VERSION) throw new V1lmError('E_BAD_FILE', `${mf} is not a ${FORMAT} v${FORMAT_VERSION} manifest; rebuild the network`, mf)
  const { tensors } = readSafetensors(path.join(dir, m.arrays))
  const get = (k: string) => {
    const t = tensors[k]
    if (!t) throw new V1lmError('E_BAD_FILE', `${dir}: array ${k} is missing from ${m.arrays}`, k)
    return t.data as any
  }
  const areas: AreaNetwork[] = m.areas.map((a: any, i: number) => {
    const area: Record<string, unknown> = { name: a.name, n: a.n, types: a.types, popName: a.popName }
    for (const k of AREA_ARRAYS) area[k] = get(`areas.${i}.${k}`)
    area.laminarIndices = Object.fromEntries(a.laminarKeys.map((k: string) => [k, get(`areas.${i}.laminar.${k}`)]))
    area.readoutNeuronIds = Array.from({ length: a.nReadout }, (_, j) => get(`areas.${i}.readout.${j}`))
    return area as unknown as AreaNetwork
  })
  const blocks: ConnectionBlock[] = m.blocks.map((b: any, i: number) => {
    const blk: Record<string, unknown> = { name: b.name, kind: b.kind, target: b.target, source: b.source }
    for (const k of BLOCK_ARRAYS) blk[k] = get(`blocks.${i}.${k}`)
    return blk as unknown as ConnectionBlock
  })
  const net: Network = { areas, blocks, nInputs: m.nInputs, nBkgSources: m.nBkgSources, maxDelay: m.maxDelay, seed: m.seed, meta: m.meta }
  validateNetwork(net, dir)
  return net
}

/** Structural checks the engine relies on; throws E_BAD_NETWORK naming the block/field. */
export function validateNetwork(net: Network, where = 'network'): void {
  const bad = (field: string, msg: string) => new V1lmError('E_BAD_NETWORK', `${where}: ${field}: ${msg}`, field)
  net.areas.forEach((a, ai) => {
    for (const k of ['nodeTypeIndex', 'x', 'y', 'z', 'tuningAngle', 'coreMask', 'columnId'] as const) if (a[k].length !== a.n) throw bad(`areas[${ai}].${k}`, `length ${a[k].length} ≠ n ${a.n}`)
    for (let i = 0; i < a.n; i++) if (a.nodeTypeIndex[i] < 0 || a.nodeTypeIndex[i] >= a.types.length) throw bad(`areas[${ai}].nodeTypeIndex`, `entry ${i} out of range`)
    a.types.forEach((t, k) => {
      for (const v of [t.V_th, t.E_L, t.g, t.C_m, t.V_reset, t.t_ref, ...t.k, ...t.asc_amps]) if (!Number.isFinite(v)) throw bad(`areas[${ai}].types[${k}]`, 'non-finite parameter')
      if (!(t.V_th > t.E_L && t.g > 0 && t.C_m > 0 && t.t_ref > 0 && t.k[0] > 0 && t.k[1] > 0)) throw bad(`areas[${ai}].types[${k}]`, 'parameter out of range')
    })
  })
  for (const b of net.blocks) {
    const E = b.pre.length
    for (const k of BLOCK_ARRAYS) if (b[k].length !== E) throw bad(`${b.name}.${k}`, `length ${b[k].length} ≠ ${E}`)
    const trg = net.areas[b.target]
    if (!trg) throw bad(`${b.name}.target`, `no area ${b.target}`)
    const nPre = b.kind === 'lgn' ? net.nInputs : b.kind === 'bkg' ? net.nBkgSources : net.areas[b.source]?.n
    if (nPre === undefined) throw bad(`${b.name}.source`, `no area ${b.source}`)
    const local = b.kind === 'recurrent' || b.kind === 'interarea'
    for (let k = 0; k < E; k++) {
      const post = b.post[k], pre = b.pre[k]
      if (post < 0 || post >= trg.n || pre < 0 || pre >= nPre) throw bad(`${b.name}`, `synapse ${k} (post ${post}, pre ${pre}) out of range`)
      if (k > 0 && (post < b.post[k - 1] || (post === b.post[k - 1] && pre < b.pre[k - 1]))) throw bad(`${b.name}`, `synapses not sorted by (post, pre) at ${k}`)
      if (b.receptor[k] > 3) throw bad(`${b.name}.receptor`, `receptor ${b.receptor[k]} at ${k}`)
      if (local ? b.delay[k] < 1 || b.delay[k] > net.maxDelay : b.delay[k] !== 0) throw bad(`${b.name}.delay`, `delay ${b.delay[k]} at ${k}`)
      if (!Number.isFinite(b.weight[k])) throw bad(`${b.name}.weight`, `non-finite weight at ${k}`)
    }
  }
}

/** Cache key of a build configuration (SPEC §7.8): hash of the normalized options and the table files. */
export function buildCacheKey(options: BuildOptions): string {
  const norm = JSON.stringify(Object.keys(options).sort().map((k) => [k, (options as any)[k]]))
  const tablesDir = new URL('../../data/network/', import.meta.url)
  const h = crypto.createHash('sha256').update(norm).update(String(FORMAT_VERSION))
  for (const f of fs.readdirSync(tablesDir).filter((f) => f.endsWith('.json')).sort()) h.update(f).update(fs.readFileSync(new URL(f, tablesDir)))
  return h.digest('hex').slice(0, 16)
}

/** Builds, or loads the cached build of, the same configuration from `cacheDir/v1_{n}_lm_{m}_s{seed}_{key}`. */
export function buildNetworkCached(options: BuildOptions, cacheDir: string): { network: Network; dir: string; cached: boolean } {
  if (options.lgnUnits || options.interareaTables) throw new V1lmError('E_BAD_ARGUMENT', 'user LGN units / inter-area tables are not part of the cache key; call buildNetwork and saveNetwork instead', 'options')
  const dir = path.join(cacheDir, `v1_${options.v1Neurons}_lm_${options.lmNeurons ?? 'ratio'}_s${options.seed ?? 3000}_${buildCacheKey(options)}`)
  if (fs.existsSync(path.join(dir, 'network.json'))) return { network: loadNetwork(dir), dir, cached: true }
  const network = buildNetwork(options)
  saveNetwork(network, dir)
  return { network, dir, cached: false }
}
