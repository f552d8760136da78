/**
 * Child process of the benchmark's network builds (lib/bench/networks.ts): receives one BuildOptions and a cache
 * folder, builds (or finds) the network with buildNetworkCached, and answers with its folder, whether it was
 * cached, the seconds and the counts. One child per network, so that the single-threaded builder runs on
 * several cores at once.
 */
import { performance } from 'node:perf_hooks'
import { V1lmError, type V1lmErrorCode } from '../errors.js'
import type { BuildOptions } from '../network/build.js'
import { buildNetworkCached } from '../network/format.js'

export interface BuildRequest {
  options: BuildOptions
  cacheDir: string
}
export type BuildReply =
  | { ok: true; dir: string; cached: boolean; seconds: number; neurons: number[]; synapses: number }
  | { ok: false; code: V1lmErrorCode; message: string; field?: string }

process.once('message', (req: BuildRequest) => {
  const t0 = performance.now()
  let reply: BuildReply
  try {
    const { network, dir, cached } = buildNetworkCached(req.options, req.cacheDir)
    reply = {
      ok: true, dir, cached, seconds: (performance.now() - t0) / 1000,
      neurons: network.areas.map((a) => a.n), synapses: network.blocks.reduce((s, b) => s + b.weight.length, 0),
    }
  } catch (err) {
    const e = err as { code?: string; message?: string; field?: string }
    // V1lmErrors keep their code; a system error of the save (ENOENT, EACCES, ENOSPC ...) is the cache folder's.
    const code = err instanceof V1lmError ? err.code : typeof e.code === 'string' && /^E[A-Z]+$/.test(e.code) ? 'E_BAD_FILE' : 'E_INTERNAL'
    const field = err instanceof V1lmError ? err.field : code === 'E_BAD_FILE' ? 'cache' : undefined
    reply = { ok: false, code, message: e.message ?? String(err), ...(field ? { field } : {}) }
  }
  process.send!(reply, () => process.exit(reply.ok ? 0 : 1))
})
