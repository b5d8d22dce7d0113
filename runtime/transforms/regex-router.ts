/**
 * RegexRouter: renames topics that match `regex` (the whole name, as Java's Matcher.matches) to
 * `replacement`, where `$1` or `${name}` insert captured groups. Other topics are left alone.
 */
import { ConfigSpec, type AnyRecord, type Transformation, type Validator } from '../api/index.js';
import { compileFullMatch, expandReplacement, regexError } from './java-regex.js';
import { parseConfig, rebuild } from './support.js';

export const regexValidator: Validator = Object.assign(
  (_name: string, value: unknown) => (typeof value === 'string' ? regexError(value) : null),
  { describe: 'valid regex' },
);

export const REGEX_ROUTER_CONFIG = new ConfigSpec()
  .define({ name: 'regex', type: 'string', importance: 'high', validator: regexValidator, doc: 'Regular expression to use for matching.' })
  .define({ name: 'replacement', type: 'string', importance: 'high', doc: 'Replacement string.' });

export class RegexRouter implements Transformation {
  private regex = /^$/;
  private replacement = '';

  configure(configs: Record<string, string>): void {
    const config = parseConfig(REGEX_ROUTER_CONFIG, configs, 'RegexRouter', (props): Record<string, string[]> => {
      if (props.regex === undefined || props.replacement === undefined || regexError(props.regex.trim())) return {};
      // Checked now so a reference to a missing group fails at configure, not on the first record.
      const groups = compileFullMatch(props.regex.trim()).source;
      try {
        const fake = Object.assign(new Array(countGroups(groups) + 1).fill(''), { index: 0, input: '', groups: namedGroups(groups) });
        expandReplacement(props.replacement.trim(), fake as unknown as RegExpExecArray);
        return {};
      } catch (e) {
        return { replacement: [`Invalid value ${props.replacement} for configuration replacement: ${(e as Error).message}`] };
      }
    });
    this.regex = compileFullMatch(config.requireString('regex'));
    this.replacement = config.requireString('replacement');
  }

  apply<R extends AnyRecord>(record: R): R | null {
    const m = this.regex.exec(record.topic);
    if (!m) return record;
    return rebuild(record, { topic: expandReplacement(this.replacement, m) });
  }

  config(): ConfigSpec {
    return REGEX_ROUTER_CONFIG;
  }

  close(): void {}
}

/** How many capturing groups a pattern has: matching an empty alternative yields one slot per group. */
function countGroups(source: string): number {
  return new RegExp(`${source}|`).exec('')!.length - 1;
}

function namedGroups(source: string): Record<string, string> | undefined {
  const names = [...source.matchAll(/\(\?<([A-Za-z][A-Za-z0-9]*)>/g)].map((m) => m[1]!);
  return names.length ? Object.fromEntries(names.map((n) => [n, ''])) : undefined;
}
