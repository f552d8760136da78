/**
 * Checkpoints: a directory `ckpt-{epoch}` holding `tensors.safetensors` (weights, Adam moments, EMA
 * normalizers) and `state.json` (counters, RNG states, metrics so far). Written into a temporary directory
 * and renamed, so a checkpoint either exists whole or not at all; older ones beyond `keep` are removed.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { V1lmError } from '../errors.js'
import { decodeSafetensors, encodeSafetensors, type TypedArray } from '../network/safetensors.js'

export interface CheckpointData {
  tensors: Record<string, Float32Array>
  state: Record<string, unknown>
}

const NAME = /^ckpt-(\d+)$/

/** Writes text atomically (temporary file + rename). */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const tmp = `${file}.tmp-${process.pid}`
  writeFileSync(tmp, data)
  renameSync(tmp, file)
}

export function listCheckpoints(dir: string): number[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir).map((f) => NAME.exec(f)).filter((m): m is RegExpExecArray => m !== null).map((m) => Number(m[1])).sort((a, b) => a - b)
}

export function saveCheckpoint(dir: string, epoch: number, data: CheckpointData, keep: number): string {
  mkdirSync(dir, { recursive: true })
  const final = join(dir, `ckpt-${epoch}`)
  const tmp = join(dir, `.tmp-ckpt-${epoch}-${process.pid}`)
  rmSync(tmp, { recursive: true, force: true })
  mkdirSync(tmp)
  writeFileSync(join(tmp, 'tensors.safetensors'), encodeSafetensors(data.tensors as Record<string, TypedArray>))
  writeFileSync(join(tmp, 'state.json'), JSON.stringify(data.state, null, 1))
  rmSync(final, { recursive: true, force: true })
  renameSync(tmp, final)
  for (const old of listCheckpoints(dir).slice(0, -keep)) rmSync(join(dir, `ckpt-${old}`), { recursive: true, force: true })
  return final
}

/** The latest checkpoint of `dir` (a directory of ckpt-N folders, or a ckpt-N folder itself). */
export function loadCheckpoint(dir: string): { path: string; epoch: number; data: CheckpointData } | undefined {
  let path = dir
  if (!NAME.test(dir.split('/').pop() ?? '')) {
    const all = listCheckpoints(dir)
    if (!all.length) return undefined
    path = join(dir, `ckpt-${all[all.length - 1]}`)
  }
  const tensorsFile = join(path, 'tensors.safetensors'), stateFile = join(path, 'state.json')
  if (!existsSync(tensorsFile) || !existsSync(stateFile))
    throw new V1lmError('E_BAD_FILE', `${path}: not a v1lm checkpoint (tensors.safetensors and state.json expected)`, path)
  const file = decodeSafetensors(readFileSync(tensorsFile), tensorsFile)
  const tensors: Record<string, Float32Array> = {}
  for (const [k, t] of Object.entries(file.tensors)) {
    if (!(t.data instanceof Float32Array)) throw new V1lmError('E_BAD_FILE', `${tensorsFile}: tensor ${k} is not float32`, k)
    tensors[k] = t.data
  }
  let state: Record<string, unknown>
  try {
    state = JSON.parse(readFileSync(stateFile, 'utf8'))
  } catch (err) {
    throw new V1lmError('E_BAD_FILE', `${stateFile}: ${(err as Error).message}`, stateFile)
  }
  return { path, epoch: Number(NAME.exec(path.split('/').pop()!)![1]), data: { tensors, state } }
}
