import t from 'tap'
import { resolve } from 'node:path'
import { addonCandidates, backends, loadAddon } from '../lib/native.js'

t.test('addon loads and reports backends', async (t) => {
  const addon = loadAddon()
  t.equal(typeof addon.version, 'string')
  const b = backends()
  t.equal(b.cpu.available, true)
  t.ok(b.cpu.threads >= 1)
  t.type(b.cuda.available, 'boolean')
  if (!b.cuda.available) t.match(b.cuda.reason, /\w+/, 'a missing CUDA backend says why')
  else t.ok(b.cuda.devices.length > 0)
})

t.test('V1LM_ADDON: tried first, a relative path taken from the working directory', async (t) => {
  const before = process.env.V1LM_ADDON
  t.teardown(() => {
    if (before === undefined) delete process.env.V1LM_ADDON
    else process.env.V1LM_ADDON = before
  })
  process.env.V1LM_ADDON = 'variants/a/v1lm.node'
  const c = addonCandidates()
  t.equal(c[0], resolve(process.cwd(), 'variants/a/v1lm.node'))
  t.match(c[1], /build[/\\]Release[/\\]v1lm\.node$/)
  delete process.env.V1LM_ADDON
  t.match(addonCandidates()[0], /build[/\\]Release[/\\]v1lm\.node$/)
})
