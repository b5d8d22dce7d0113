/**
 * The option parser of the tsconnect subcommands: `--name value`, `--name=value`, flags and
 * repeatable options, as Kafka's console tools take them. A mistake is a UsageError (exit 2) that
 * names the option, so a typo never runs a different command than the one the user meant.
 */

export interface OptionSpec {
  name: string;
  /** `flag` takes no value; `value` takes one; `list` takes one and may be repeated. */
  kind: 'flag' | 'value' | 'list';
  /** Shown in --help after the name, e.g. `<topic>`. */
  arg?: string;
  doc: string;
}

export interface Parsed {
  flags: Set<string>;
  values: Map<string, string>;
  lists: Map<string, string[]>;
}

/** Wrong usage: the command line itself is at fault. Exit code 2, as getopt-style tools do. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A failure of the command after its options were accepted. Exit code 1. */
export class CommandError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CommandError';
  }
}

export function parseOptions(argv: string[], specs: OptionSpec[], command: string): Parsed {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const parsed: Parsed = { flags: new Set(), values: new Map(), lists: new Map() };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) {
      throw new UsageError(`${command}: unexpected argument '${arg}' (options start with --; see ${command} --help)`);
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    const spec = byName.get(name);
    if (!spec) throw new UsageError(`${command}: unknown option --${name} (see ${command} --help)`);
    if (spec.kind === 'flag') {
      if (eq !== -1) throw new UsageError(`${command}: --${name} takes no value`);
      parsed.flags.add(name);
      continue;
    }
    let value: string;
    if (eq !== -1) value = arg.slice(eq + 1);
    else {
      const next = argv[i + 1];
      if (next === undefined) throw new UsageError(`${command}: --${name} needs a value ${spec.arg ?? ''}`.trimEnd());
      value = next;
      i++;
    }
    if (spec.kind === 'list') parsed.lists.set(name, [...(parsed.lists.get(name) ?? []), value]);
    else if (parsed.values.has(name)) throw new UsageError(`${command}: --${name} given twice`);
    else parsed.values.set(name, value);
  }
  return parsed;
}

/** `--name` as a whole number within bounds, or undefined when absent. */
export function intOption(parsed: Parsed, name: string, command: string, min: number): number | undefined {
  const raw = parsed.values.get(name);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isSafeInteger(n) || n < min) {
    throw new UsageError(`${command}: --${name} must be a whole number of at least ${min}, not '${raw}'`);
  }
  return n;
}

/** `k=v` pairs of a repeatable option (--config, --property) as a map; later pairs win. */
export function keyValues(parsed: Parsed, name: string, command: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const pair of parsed.lists.get(name) ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`${command}: --${name} expects key=value, not '${pair}'`);
    out.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
  return out;
}

/** The --help text: usage line, summary, then every option with its doc. */
export function helpText(usage: string, summary: string, specs: OptionSpec[]): string {
  const rows = specs.map((s) => [`--${s.name}${s.arg ? ` ${s.arg}` : ''}`, s.doc] as const);
  const width = Math.max(...rows.map(([left]) => left.length));
  const lines = rows.map(([left, doc]) => `  ${left.padEnd(width)}  ${doc}`);
  return `Usage: ${usage}\n\n${summary}\n\nOptions:\n${lines.join('\n')}\n`;
}
