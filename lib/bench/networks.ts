/**
 * The benchmark's built networks (issue 7: numbers "on real networks from the builder"): every distinct build
 * of the chosen workloads runs in its own child process (lib/bench/build-worker.ts) through buildNetworkCached,
 * all at once, so the single-threaded builder uses one core per network; progress goes to `progress`.
 */
import { fork } from 'node:child_process'
import { extname } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { V1lmError } from '../errors.js'
import type { BuildOptions } from '../network/build.js'
import type { BuildReply, BuildRequest } from './build-worker.js'

export interface BuildJob {
  /** Which workloads use this network (progress lines and errors name it). */
  label: string
  options: BuildOptions
}
export interface BuiltNetwork {
  label: string
  /** The network folder inside the cache (loadNetwork reads it). */
  dir: string
  cached: boolean
  /** Wall time of the child: the build and its save, or the cache load when cached. */
  buildSeconds: number
  neurons: number[]
  synapses: number
}

// A margin over Node's default old-space limit for the full column's build (its edges are typed arrays off the
// heap; the per-group maps and the JSON of the save are not).
const CHILD_HEAP_MB = 24576
const HEARTBEAT_MS = 30000

/**
 * The parent's Node flags for a child (loaders such as tap's TypeScript import stay), less the code of
 * `node -e` / `-p`: a parent started that way would otherwise run its script again in every child.
 */
export function childExecArgv(parent: string[]): string[] {
  const kept: string[] = []
  for (let k = 0; k < parent.length; k++) {
    const a = parent[k]
    if (['-e', '--eval', '-p', '--print', '-pe'].includes(a)) k++
    else if (!/^--(eval|print)=/.test(a)) kept.push(a)
  }
  return kept
}

function buildOne(job: BuildJob, cacheDir: string, progress: (line: string) => void): Promise<BuiltNetwork> {
  // The worker beside this module: build-worker.js under dist/, build-worker.ts when run from source (tests).
  const self = fileURLToPath(import.meta.url)
  const worker = fileURLToPath(new URL(`./build-worker${extname(self)}`, import.meta.url))
  const t0 = performance.now()
  const seconds = () => ((performance.now() - t0) / 1000).toFixed(1)
  return new Promise((resolve, reject) => {
    const child = fork(worker, [], { execArgv: [...childExecArgv(process.execArgv), `--max-old-space-size=${CHILD_HEAP_MB}`], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
    const heartbeat = setInterval(() => progress(`bench: ${job.label}: building, ${seconds()} s`), HEARTBEAT_MS)
    heartbeat.unref()
    let reply: BuildReply | undefined
    child.on('message', (m: BuildReply) => { reply = m })
    child.on('exit', (code, signal) => {
      clearInterval(heartbeat)
      if (reply?.ok) {
        progress(`bench: ${job.label}: ${reply.cached ? 'cached' : 'built'} in ${reply.seconds.toFixed(1)} s (${reply.neurons.join(' + ')} neurons, ${reply.synapses} synapses) → ${reply.dir}`)
        resolve({ label: job.label, dir: reply.dir, cached: reply.cached, buildSeconds: reply.seconds, neurons: reply.neurons, synapses: reply.synapses })
      } else if (reply) {
        reject(new V1lmError(reply.code, `building the ${job.label} network: ${reply.message}`, reply.field))
      } else {
        reject(new V1lmError('E_INTERNAL', `the build of the ${job.label} network ended (${signal ?? `exit ${code}`}) after ${seconds()} s without an answer; its stderr is above (out of memory?)`, 'network'))
      }
    })
    progress(`bench: ${job.label}: building (V1 ${job.options.v1Neurons}, LM ${job.options.realisticNeuronsRatio ? 'by ratio' : job.options.lmNeurons}) in child ${child.pid}`)
    child.send({ options: job.options, cacheDir } satisfies BuildRequest)
  })
}

/** Builds (or finds in `cacheDir`) every job's network in parallel child processes; the first error after all ended. */
export async function buildNetworksInParallel(jobs: BuildJob[], cacheDir: string, progress: (line: string) => void): Promise<BuiltNetwork[]> {
  const settled = await Promise.allSettled(jobs.map((j) => buildOne(j, cacheDir, progress)))
  const failed = settled.find((s) => s.status === 'rejected')
  if (failed) throw (failed as PromiseRejectedResult).reason
  return settled.map((s) => (s as PromiseFulfilledResult<BuiltNetwork>).value)
}
