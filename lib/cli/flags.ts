/**
 * Command-line flags in the reference's style (absl): `--v1_neurons 100`, `--v1_neurons=100`, kebab-case
 * aliases (`--v1-neurons`), booleans as `--flag` / `--noflag` / `--flag=false`. One schema per command
 * declares each flag once; `--help` prints it.
 */
import { V1lmError } from '../errors.js'

export type FlagType = 'number' | 'integer' | 'string' | 'boolean'
export interface FlagSpec {
  type: FlagType
  default?: number | string | boolean
  help: string
  /** Allowed values of a string flag. */
  choices?: readonly string[]
}
export type FlagSchema = Record<string, FlagSpec>
export type FlagValues<S extends FlagSchema> = {
  [K in keyof S]: S[K]['type'] extends 'boolean' ? boolean : S[K]['type'] extends 'string' ? string : number
}

const snake = (name: string) => name.replace(/-/g, '_')

function parseValue(name: string, spec: FlagSpec, raw: string): number | string | boolean {
  switch (spec.type) {
    case 'boolean':
      if (/^(true|1|yes)$/i.test(raw)) return true
      if (/^(false|0|no)$/i.test(raw)) return false
      throw new V1lmError('E_BAD_ARGUMENT', `--${name}: expected true or false, got '${raw}'`, name)
    case 'number':
    case 'integer': {
      const x = Number(raw)
      if (raw.trim() === '' || !Number.isFinite(x)) throw new V1lmError('E_BAD_ARGUMENT', `--${name}: expected a number, got '${raw}'`, name)
      if (spec.type === 'integer' && !Number.isInteger(x)) throw new V1lmError('E_BAD_ARGUMENT', `--${name}: expected an integer, got '${raw}'`, name)
      return x
    }
    case 'string':
      if (spec.choices && !spec.choices.includes(raw))
        throw new V1lmError('E_BAD_ARGUMENT', `--${name}: '${raw}' is not one of ${spec.choices.join(', ')}`, name)
      return raw
  }
}

/** Parses argv against the schema; returns the values (defaults filled in) and the positional arguments. */
export function parseFlags<S extends FlagSchema>(schema: S, argv: string[]): { values: FlagValues<S>; positional: string[]; help: boolean } {
  const values: Record<string, number | string | boolean | undefined> = {}
  for (const [k, spec] of Object.entries(schema)) values[k] = spec.default
  const positional: string[] = []
  let help = false
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (!arg.startsWith('--')) {
      positional.push(arg)
      continue
    }
    if (arg === '--help' || arg === '--helpfull') {
      help = true
      continue
    }
    const eq = arg.indexOf('=')
    let name = snake(arg.slice(2, eq < 0 ? undefined : eq))
    let raw = eq < 0 ? undefined : arg.slice(eq + 1)
    let spec = schema[name]
    if (!spec && name.startsWith('no') && schema[name.slice(2)]?.type === 'boolean' && raw === undefined) {
      name = name.slice(2)
      spec = schema[name]
      raw = 'false'
    }
    if (!spec) {
      const bare = (x: string) => x.replace(/_/g, '')
      const close = Object.keys(schema).filter((k) => bare(k).includes(bare(name)) || bare(name).includes(bare(k))).slice(0, 3)
      throw new V1lmError('E_BAD_ARGUMENT', `unknown flag --${name}${close.length ? ` (did you mean ${close.map((c) => '--' + c).join(', ')}?)` : ''}; see --help`, name)
    }
    if (raw === undefined) {
      if (spec.type === 'boolean' && (argv[i + 1] === undefined || !/^(true|false)$/i.test(argv[i + 1]))) raw = 'true'
      else if (argv[i + 1] === undefined) throw new V1lmError('E_BAD_ARGUMENT', `--${name}: missing value`, name)
      else raw = argv[++i]
    }
    values[name] = parseValue(name, spec, raw)
  }
  return { values: values as FlagValues<S>, positional, help }
}

export function helpText(command: string, summary: string, schema: FlagSchema): string {
  const lines = [`Usage: v1lm ${command} [flags]`, '', summary, '', 'Flags (snake_case or kebab-case; booleans also as --noflag):']
  for (const [k, s] of Object.entries(schema)) {
    const def = s.default === undefined ? '' : ` (default: ${String(s.default)})`
    const choices = s.choices ? ` [${s.choices.join('|')}]` : ''
    lines.push(`  --${k}${s.type === 'boolean' ? '' : ` <${s.type}>`}${choices}`, `      ${s.help}${def}`)
  }
  return lines.join('\n')
}
