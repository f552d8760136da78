#!/usr/bin/env node
/** The `v1lm` command: dispatches to one module per command. */
import { V1lmError } from '../errors.js'
import { backends } from '../native.js'
import { benchCommand } from '../bench/run.js'
import { buildNetworkCommand } from './build-network.js'
import { simulateCommand } from './simulate.js'
import { stimulusCommand } from './stimulus.js'
import { trainCommand } from './train.js'

const commands: Record<string, { summary: string; run: (argv: string[]) => Promise<unknown> }> = {
  train: { summary: 'train V1 + LM (the main job; no flags = quick start)', run: (a) => trainCommand(a) },
  simulate: { summary: 'forward simulation, prints rates per population', run: (a) => simulateCommand(a) },
  stimulus: { summary: 'write a stimulus frame and its LGN rate map (PNG)', run: (a) => stimulusCommand(a) },
  'build-network': { summary: 'build the Billeh V1 (+ LM) network from the published tables', run: (a) => buildNetworkCommand(a) },
  bench: { summary: 'engine benchmark (W1, W2, F): ms per trial, GB/s, memory', run: (a) => benchCommand(a) },
  backends: {
    summary: 'which engine backends exist here and why one is missing',
    run: async () => console.log(JSON.stringify(backends(), null, 2)),
  },
}

function usage(): string {
  return ['Usage: v1lm <command> [flags]   (v1lm <command> --help for its flags)', '', 'Commands:',
    ...Object.entries(commands).map(([k, c]) => `  ${k.padEnd(16)} ${c.summary}`)].join('\n')
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv
  if (!name || name === '--help' || name === 'help') {
    console.log(usage())
    return 0
  }
  const cmd = commands[name]
  if (!cmd) {
    console.error(`v1lm: unknown command '${name}'\n\n${usage()}`)
    return 2
  }
  try {
    await cmd.run(rest)
    return 0
  } catch (err) {
    if (err instanceof V1lmError) {
      console.error(`v1lm ${name}: ${err.message} [${err.code}]`)
      return 2
    }
    throw err
  }
}

process.exitCode = await main(process.argv.slice(2))
