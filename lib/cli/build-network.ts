/** `v1lm build-network`: builds a network with the reference's flags and writes the network directory. */
import { V1lmError } from '../errors.js'
import { buildNetwork, type BuildOptions, type InterareaWeightDistribution } from '../network/build.js'
import { saveNetwork } from '../network/format.js'
import { loadInterareaTable } from '../network/interarea.js'
import { exportSonata, importSonata } from '../network/sonata.js'

export const BUILD_NETWORK_HELP = `Usage: v1lm build-network [flags]

Builds the Billeh V1 (+ LM) network from the published tables and writes a network directory
(network.json + arrays.safetensors). Flags follow the reference scripts (snake_case, --noflag for false;
kebab-case accepted).

  --v1_neurons N                     V1 neurons (default 10; 0 = whole 230,924-neuron column)
  --lm_neurons N                     LM neurons (default 10; ignored with --realistic_neurons_ratio)
  --[no]realistic_neurons_ratio      n_LM = int(n_V1 / 7.0104) (default true)
  --seed N                           seed of the column, edges and selections (default 3000)
  --[no]connected_selection          the n neurons nearest the column axis (default true)
  --[no]core_only                    random neurons inside the core radius (default false)
  --n_input N                        LGN units (only 17400)
  --interarea_weight_distribution D  billeh_weights | zero_weights | random_weights | disconnected
  --E4_weight_factor X               scale of excitatory V1→LM weights onto LM L4 e (default 1)
  --[no]disconnect_v1_lm_L6_excitatory_projections
  --[no]random_weights               shuffle recurrent weights within edge types
  --input_weight_scale X             scale of LGN and BKG weights (default 1)
  --n_output N, --neurons_per_output N   readout populations (default 10 × 16; 0 = none)
  --v1_to_lm_table FILE, --lm_to_v1_table FILE   inter-area tables in the reference JSON format
  --[no]lgn                          build the LGN→V1 block (default true)
  --output DIR                       where to write (default network_v1_{n}_lm_{m}_s{seed})
  --from_sonata DIR                  import a SONATA network (circuit_config.json or network/ + components/)
                                     instead of building; selection flags apply when --v1_neurons/--lm_neurons
                                     are given
  --export_sonata DIR                also write the network as SONATA (NEST/BMTK readable) into DIR
  --help                             this text
`

const BOOLEAN = ['realistic_neurons_ratio', 'connected_selection', 'core_only', 'disconnect_v1_lm_L6_excitatory_projections', 'random_weights', 'lgn', 'help']
const VALUED = ['v1_neurons', 'lm_neurons', 'seed', 'n_input', 'interarea_weight_distribution', 'E4_weight_factor', 'input_weight_scale', 'n_output', 'neurons_per_output', 'output', 'v1_to_lm_table', 'lm_to_v1_table', 'from_sonata', 'export_sonata']

/** Parses `--flag value`, `--flag=value`, `--flag`, `--noflag`; kebab-case accepted. */
export function parseBuildNetworkArgs(argv: string[]): Record<string, string | boolean> {
  const out: Record<string, string | boolean> = {}
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (!a.startsWith('--')) throw new V1lmError('E_BAD_ARGUMENT', `unexpected argument ${a}; see v1lm build-network --help`, a)
    let [name, value] = a.slice(2).split(/=(.*)/s, 2) as [string, string | undefined]
    name = name.replace(/-/g, '_')
    if (BOOLEAN.includes(name)) {
      out[name] = value === undefined ? true : !['false', '0', 'no'].includes(value.toLowerCase())
    } else if (name.startsWith('no') && BOOLEAN.includes(name.slice(2))) {
      out[name.slice(2)] = false
    } else if (VALUED.includes(name)) {
      if (value === undefined) {
        value = argv[++i]
        if (value === undefined) throw new V1lmError('E_BAD_ARGUMENT', `--${name} needs a value`, name)
      }
      out[name] = value
    } else {
      throw new V1lmError('E_BAD_ARGUMENT', `unknown flag --${name}; see v1lm build-network --help`, name)
    }
  }
  return out
}

function num(args: Record<string, string | boolean>, k: string): number | undefined {
  if (args[k] === undefined) return undefined
  const v = Number(args[k])
  if (!Number.isFinite(v)) throw new V1lmError('E_BAD_ARGUMENT', `--${k} must be a number, got ${args[k]}`, k)
  return v
}

/** Runs the command; returns the exit code. `log` receives the printed lines. */
export async function buildNetworkCommand(argv: string[], log: (line: string) => void = console.log): Promise<number> {
  const args = parseBuildNetworkArgs(argv)
  if (args.help) {
    log(BUILD_NETWORK_HELP)
    return 0
  }
  const options: BuildOptions = {
    v1Neurons: num(args, 'v1_neurons') ?? 10,
    lmNeurons: num(args, 'lm_neurons'),
    seed: num(args, 'seed'),
    realisticNeuronsRatio: args.realistic_neurons_ratio as boolean | undefined,
    connectedSelection: args.connected_selection as boolean | undefined,
    coreOnly: args.core_only as boolean | undefined,
    nInput: num(args, 'n_input'),
    interareaWeightDistribution: args.interarea_weight_distribution as InterareaWeightDistribution | undefined,
    E4WeightFactor: num(args, 'E4_weight_factor'),
    disconnectV1LmL6ExcitatoryProjections: args.disconnect_v1_lm_L6_excitatory_projections as boolean | undefined,
    randomWeights: args.random_weights as boolean | undefined,
    inputWeightScale: num(args, 'input_weight_scale'),
    nOutput: num(args, 'n_output'),
    neuronsPerOutput: num(args, 'neurons_per_output'),
    lgnUnits: args.lgn === false ? false : undefined,
    interareaTables: {
      v1ToLm: typeof args.v1_to_lm_table === 'string' ? loadInterareaTable('v1_to_lm', args.v1_to_lm_table) : undefined,
      lmToV1: typeof args.lm_to_v1_table === 'string' ? loadInterareaTable('lm_to_v1', args.lm_to_v1_table) : undefined,
    },
  }
  const net = typeof args.from_sonata === 'string'
    ? await importSonata(args.from_sonata, {
      v1Neurons: num(args, 'v1_neurons'), lmNeurons: num(args, 'lm_neurons'), seed: options.seed,
      realisticNeuronsRatio: options.realisticNeuronsRatio, connectedSelection: options.connectedSelection, coreOnly: options.coreOnly,
      inputWeightScale: options.inputWeightScale, nOutput: options.nOutput, neuronsPerOutput: options.neuronsPerOutput,
    })
    : buildNetwork(options)
  const dir = typeof args.output === 'string' ? args.output : `network_v1_${net.areas[0].n}_lm_${net.areas[1]?.n ?? 0}_s${net.seed}`
  for (const a of net.areas) {
    log(`${a.name}: ${a.n} neurons`)
    const perPop = new Map<string, number>()
    for (let i = 0; i < a.n; i++) { const p = a.popName[a.nodeTypeIndex[i]]; perPop.set(p, (perPop.get(p) ?? 0) + 1) }
    for (const [p, c] of [...perPop].sort()) log(`  ${p.padEnd(10)} ${String(c).padStart(8)}`)
  }
  log('synapses per block:')
  for (const b of net.blocks) log(`  ${b.name.padEnd(14)} ${String(b.pre.length).padStart(10)}`)
  saveNetwork(net, dir)
  const ms = (net.meta.timingsMs as { total: number } | undefined)?.total ?? net.meta.importMs
  log(`D = ${net.maxDelay} steps; written to ${dir} (${ms} ms ${typeof args.from_sonata === 'string' ? 'SONATA import' : 'build'})`)
  if (typeof args.export_sonata === 'string') {
    await exportSonata(net, args.export_sonata)
    log(`SONATA circuit written to ${args.export_sonata} (circuit_config.json)`)
  }
  return 0
}
