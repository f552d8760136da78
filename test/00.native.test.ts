import t from 'tap'
import { join, resolve } from 'node:path'
import { addonCandidates, backends, loadAddon, loadAddonFrom } from '../lib/native.js'

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

t.test('V1LM_ADDON: the only candidate, a relative path taken from the working directory', async (t) => {
  const before = process.env.V1LM_ADDON
  t.teardown(() => {
    if (before === undefined) delete process.env.V1LM_ADDON
    else process.env.V1LM_ADDON = before
  })
  process.env.V1LM_ADDON = 'variants/a/v1lm.node'
  t.same(addonCandidates(), [resolve(process.cwd(), 'variants/a/v1lm.node')])
  t.throws(() => loadAddonFrom(addonCandidates()), { code: 'E_NO_ADDON', message: /variants[/\\]a[/\\]v1lm\.node: not found[\s\S]*point V1LM_ADDON at a built v1lm\.node/ })
  delete process.env.V1LM_ADDON
  const c = addonCandidates()
  t.equal(c.length, 2)
  t.match(c[0], /build[/\\]Release[/\\]v1lm\.node$/)
})

t.test('a file that is not an addon: E_NO_ADDON with the loader\'s reason', async (t) => {
  const dir = t.testdir({ 'v1lm.node': 'not a shared object' })
  t.throws(() => loadAddonFrom([join(dir, 'v1lm.node')]), { code: 'E_NO_ADDON', message: /v1lm\.node: .+[\s\S]*npm run build:native/ })
})
