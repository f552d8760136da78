// Regenerates data/targets from ../shared/data (run `npm run build:ts` first). Usage: node data/targets/derive.mjs [sharedDataDir]
import { fileURLToPath } from 'node:url'
import { deriveTargets } from '../../dist/losses/derive.js'

const shared = process.argv[2] ?? fileURLToPath(new URL('../../../shared/data/', import.meta.url))
const out = fileURLToPath(new URL('./', import.meta.url))
console.log(JSON.stringify(deriveTargets(shared, out), null, 1))
