#!/usr/bin/env node
// Builds the native addon: cmake-js (CPU + CUDA when nvcc is found) or, when cmake is missing,
// node-gyp over binding.gyp (CPU only). Runs at `npm install`; `--force` rebuilds.
// Environment: V1LM_CUDA=OFF disables the CUDA backend; V1LM_BUILD_TYPE=Debug for a debug build.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createRequire } from 'node:module'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(import.meta.url)
const force = process.argv.includes('--force')
const addon = join(root, 'build', 'Release', 'v1lm.node')
if (!force && existsSync(addon)) {
  console.log(`v1lm: native addon present (${addon}); npm run build:native rebuilds it`)
  process.exit(0)
}

const has = (cmd) => spawnSync(cmd, ['--version'], { stdio: 'ignore' }).status === 0
const run = (cmd, args) => {
  console.log(`v1lm: ${cmd} ${args.join(' ')}`)
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' })
  return r.status === 0
}

if (has('cmake')) {
  const cmakeJs = join(dirname(require.resolve('cmake-js/package.json')), 'bin', 'cmake-js')
  const args = [cmakeJs, 'compile', '--config', process.env.V1LM_BUILD_TYPE ?? 'Release',
    `--CDV1LM_CUDA=${process.env.V1LM_CUDA ?? 'ON'}`]
  if (run(process.execPath, args)) process.exit(0)
  console.error('v1lm: cmake-js build failed; trying node-gyp (CPU only)')
}
// npm exports the path of its bundled node-gyp to install scripts.
const gyp = process.env.npm_config_node_gyp
if (gyp && run(process.execPath, [gyp, 'rebuild'])) process.exit(0)
console.error('v1lm: could not build the native addon. Install cmake and a C++17 compiler (g++ >= 9), then run `npm run build:native`.')
process.exit(1)
