#!/usr/bin/env node
// Compares the loss curves of two `v1lm train` runs update by update (metrics_steps.jsonl of each run folder):
// the check issue 7 asks of every lower-precision option against float32. Prints one row per update, then the
// largest absolute and relative difference of the total loss, and exits 1 when the runs' updates differ.
// Usage: node scripts/compare-loss-curves.mjs RUN_A RUN_B
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

const [a, b] = process.argv.slice(2)
if (!a || !b) {
  console.error('usage: node scripts/compare-loss-curves.mjs RUN_A RUN_B (folders holding metrics_steps.jsonl)')
  process.exit(2)
}
const read = (dir) => readFileSync(join(dir, 'metrics_steps.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l))
const ra = read(a), rb = read(b)
if (ra.length !== rb.length) {
  console.error(`${a} has ${ra.length} updates, ${b} has ${rb.length}`)
  process.exit(1)
}
let maxAbs = 0, maxRel = 0
console.log('epoch step session       loss A        loss B     rel. diff')
ra.forEach((x, k) => {
  const y = rb[k]
  if (x.epoch !== y.epoch || x.step !== y.step || x.session !== y.session) {
    console.error(`update ${k}: ${x.epoch}/${x.step}/${x.session} against ${y.epoch}/${y.step}/${y.session}`)
    process.exit(1)
  }
  const abs = Math.abs(x.loss - y.loss), rel = abs / Math.abs(x.loss)
  maxAbs = Math.max(maxAbs, abs)
  maxRel = Math.max(maxRel, rel)
  console.log(`${String(x.epoch).padStart(5)} ${String(x.step).padStart(4)} ${x.session.padEnd(11)} ${x.loss.toFixed(7).padStart(12)} ${y.loss.toFixed(7).padStart(12)} ${rel.toExponential(2).padStart(12)}`)
})
console.log(`${ra.length} updates; largest difference of the total loss: ${maxAbs.toExponential(3)} absolute, ${maxRel.toExponential(3)} relative`)
