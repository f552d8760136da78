/**
 * Finds and loads the native addon and reports which backends exist and why one is missing.
 * Candidates are tried in order; every failure is kept so the final error can list them all.
 */
import { createRequire } from 'node:module'
import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { V1lmError } from './errors.js'

const require = createRequire(import.meta.url)
const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..')

export interface CudaDevice {
  index: number
  name: string
  totalBytes: number
  computeCapability: string
  smCount: number
}
export interface BackendReport {
  cpu: { available: true; threads: number }
  cuda: {
    built: boolean
    available: boolean
    /** Why CUDA cannot be used (absent when available). */
    reason?: string
    runtimeVersion: number
    driverVersion: number
    devices: CudaDevice[]
  }
}

/** The raw addon surface; lib/engine wraps it with types and validation. */
export interface NativeAddon {
  version: string
  backends(): BackendReport
  [name: string]: unknown
}

let cached: NativeAddon | undefined

export function addonCandidates(): string[] {
  const fromEnv = process.env.V1LM_ADDON
  // An addon named by V1LM_ADDON is the only one tried (a silent fallback would run another build); a
  // relative path names a file below the working directory.
  if (fromEnv) return [resolve(fromEnv)]
  return [join(packageRoot, 'build', 'Release', 'v1lm.node'), join(packageRoot, 'build', 'Debug', 'v1lm.node')]
}

/** The first of `candidates` that loads; E_NO_ADDON naming every candidate and why it failed otherwise. */
export function loadAddonFrom(candidates: string[]): NativeAddon {
  const failures: string[] = []
  for (const candidate of candidates) {
    if (!existsSync(candidate)) {
      failures.push(`${candidate}: not found`)
      continue
    }
    try {
      return require(candidate) as NativeAddon
    } catch (err) {
      failures.push(`${candidate}: ${(err as Error).message}`)
    }
  }
  const fix = process.env.V1LM_ADDON
    ? 'Fix: point V1LM_ADDON at a built v1lm.node, or unset it to use build/Release.'
    : 'Fix: run `npm run build:native` (needs cmake or python3 + make, and g++ >= 9).'
  throw new V1lmError('E_NO_ADDON', 'v1lm native addon could not be loaded. Tried:\n  ' + failures.join('\n  ') + '\n' + fix)
}

export function loadAddon(): NativeAddon {
  cached ??= loadAddonFrom(addonCandidates())
  return cached
}

/** Which backends exist in this build and on this machine, with the reason one is missing. */
export function backends(): BackendReport {
  return loadAddon().backends()
}

export type BackendChoice = 'auto' | 'cpu' | 'cuda'

/** Resolves 'auto' to cuda when a usable device exists, else cpu; 'cuda' without one is E_NO_CUDA with the reason. */
export function resolveBackend(choice: BackendChoice = 'auto'): 'cpu' | 'cuda' {
  if (choice !== 'cpu' && choice !== 'cuda' && choice !== 'auto')
    throw new V1lmError('E_BAD_ARGUMENT', `backend must be 'cpu', 'cuda' or 'auto' (got ${String(choice)})`, 'backend')
  if (choice === 'cpu') return 'cpu'
  const cuda = backends().cuda
  if (choice === 'cuda' && !cuda.available)
    throw new V1lmError('E_NO_CUDA', `CUDA backend requested but unavailable: ${cuda.reason ?? 'unknown reason'}. ` +
      "Fix: use backend 'cpu' or 'auto', or run on a machine with an sm_90 GPU and a CUDA build.", 'backend')
  return cuda.available ? 'cuda' : 'cpu'
}
