import t from 'tap'
import { backends, loadAddon } from '../lib/native.js'

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
