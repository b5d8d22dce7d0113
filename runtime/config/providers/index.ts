/**
 * Kafka's `config.providers` mechanism: connector configs may hold `${alias:[path:]key}` placeholders
 * that the worker resolves through providers named in its own config:
 *
 *   config.providers=file,env
 *   config.providers.file.class=org.apache.kafka.common.config.provider.FileConfigProvider
 *   config.providers.file.param.allowed.paths=/etc/connect/secrets
 *   config.providers.env.class=EnvVarConfigProvider
 *
 * The caller stores only the placeholders (config topic, REST answers, logs) and calls `transform`
 * when a connector or task starts, handing the resolved values to the plugin alone, so secrets never
 * reach a topic and a rotated secret is picked up at the next restart.
 */
import { ConfigError } from '../../api/errors.js';
import { DirectoryConfigProvider } from './directory-config-provider.js';
import { EnvVarConfigProvider } from './env-var-config-provider.js';
import { FileConfigProvider } from './file-config-provider.js';
import { findPlaceholders, type Placeholder } from './placeholders.js';
import type { ConfigProvider, ConfigProviderFactory } from './types.js';

export type { ConfigProvider, ConfigProviderFactory } from './types.js';
export { findPlaceholders, type Placeholder } from './placeholders.js';
export { FileConfigProvider } from './file-config-provider.js';
export { EnvVarConfigProvider } from './env-var-config-provider.js';
export { DirectoryConfigProvider } from './directory-config-provider.js';

export const CONFIG_PROVIDERS_CONFIG = 'config.providers';

const KAFKA_PACKAGE = 'org.apache.kafka.common.config.provider.';

/** The built-in providers under their Kafka class names and their short names. */
export const BUILTIN_CONFIG_PROVIDERS: Readonly<Record<string, ConfigProviderFactory>> = Object.fromEntries(
  (
    [
      ['FileConfigProvider', () => new FileConfigProvider()],
      ['EnvVarConfigProvider', () => new EnvVarConfigProvider()],
      ['DirectoryConfigProvider', () => new DirectoryConfigProvider()],
    ] as const
  ).flatMap(([name, factory]) => [
    [name, factory],
    [KAFKA_PACKAGE + name, factory],
  ]),
);

export interface ConfigTransformer {
  /** The aliases from `config.providers`, in order. */
  readonly aliases: readonly string[];
  /**
   * A copy of `config` with every placeholder of a configured alias replaced by its value. Placeholders
   * of aliases not in `config.providers` stay as written, as in Kafka. Throws a ConfigError naming each
   * config key and placeholder that cannot be resolved (unreadable path, absent key).
   */
  transform(config: Record<string, string>): Promise<Record<string, string>>;
  close(): Promise<void>;
}

export interface ConfigTransformerOptions {
  /** More provider classes, by the class name a worker file uses; they win over built-ins of the same name. */
  providerClasses?: Record<string, ConfigProviderFactory>;
}

type Props = Map<string, string> | Record<string, string>;

function lookup(props: Props, key: string): string | undefined {
  return props instanceof Map ? props.get(key) : Object.hasOwn(props, key) ? props[key] : undefined;
}

function paramsOf(props: Props, alias: string): Record<string, string> {
  const prefix = `${CONFIG_PROVIDERS_CONFIG}.${alias}.param.`;
  const entries = props instanceof Map ? [...props] : Object.entries(props);
  return Object.fromEntries(
    entries.filter(([key]) => key.startsWith(prefix)).map(([key, value]) => [key.slice(prefix.length), value]),
  );
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Creates and configures one provider per alias in `config.providers`; bad worker keys throw a ConfigError naming them. */
export function createConfigTransformer(workerProps: Props, options: ConfigTransformerOptions = {}): ConfigTransformer {
  const classes = { ...BUILTIN_CONFIG_PROVIDERS, ...options.providerClasses };
  const aliases = (lookup(workerProps, CONFIG_PROVIDERS_CONFIG) ?? '')
    .split(',')
    .map((alias) => alias.trim())
    .filter((alias) => alias !== '');
  const providers = new Map<string, ConfigProvider>();
  for (const alias of aliases) {
    const classKey = `${CONFIG_PROVIDERS_CONFIG}.${alias}.class`;
    const className = lookup(workerProps, classKey)?.trim();
    if (className === undefined || className === '') {
      const message = `${CONFIG_PROVIDERS_CONFIG} lists '${alias}' but ${classKey} is not set`;
      throw new ConfigError(message, { [classKey]: [message] });
    }
    const factory = Object.hasOwn(classes, className) ? classes[className] : undefined;
    if (factory === undefined) {
      const known = Object.keys(classes).filter((name) => !name.includes('.')).join(', ');
      const message = `${classKey}: unknown config provider class '${className}' (known: ${known})`;
      throw new ConfigError(message, { [classKey]: [message] });
    }
    const provider = factory();
    try {
      provider.configure(paramsOf(workerProps, alias));
    } catch (error) {
      const message = `${CONFIG_PROVIDERS_CONFIG}.${alias}: ${messageOf(error)}`;
      throw new ConfigError(message, { [`${CONFIG_PROVIDERS_CONFIG}.${alias}.param`]: [message] }, { cause: error });
    }
    providers.set(alias, provider);
  }
  return new ProviderConfigTransformer(aliases, providers);
}

type Lookup = { values: Map<string, string> } | { error: unknown };

class ProviderConfigTransformer implements ConfigTransformer {
  constructor(
    readonly aliases: readonly string[],
    private readonly providers: ReadonlyMap<string, ConfigProvider>,
  ) {}

  async transform(config: Record<string, string>): Promise<Record<string, string>> {
    const found = new Map<string, Placeholder[]>();
    // One provider call per (alias, path), as Kafka batches them, so a file is read once per transform.
    const wanted = new Map<string, Map<string, Set<string>>>();
    for (const [configKey, value] of Object.entries(config)) {
      const placeholders = findPlaceholders(value).filter((p) => this.providers.has(p.alias));
      if (placeholders.length === 0) continue;
      found.set(configKey, placeholders);
      for (const p of placeholders) {
        const byPath = wanted.get(p.alias) ?? new Map<string, Set<string>>();
        wanted.set(p.alias, byPath);
        const keys = byPath.get(p.path) ?? new Set<string>();
        byPath.set(p.path, keys);
        keys.add(p.key);
      }
    }
    if (found.size === 0) return { ...config };

    const lookups = new Map<string, Lookup>();
    const calls: Promise<void>[] = [];
    for (const [alias, byPath] of wanted) {
      for (const [path, keys] of byPath) {
        const provider = this.providers.get(alias)!;
        calls.push(
          provider.get(path, keys).then(
            (values) => void lookups.set(`${alias}\u0000${path}`, { values }),
            (error: unknown) => void lookups.set(`${alias}\u0000${path}`, { error }),
          ),
        );
      }
    }
    await Promise.all(calls);

    const result = { ...config };
    const errors: Record<string, string[]> = {};
    for (const [configKey, placeholders] of found) {
      const value = config[configKey]!;
      let out = '';
      let from = 0;
      for (const p of placeholders) {
        out += value.slice(from, p.start);
        from = p.end;
        const resolved = this.resolve(p, lookups.get(`${p.alias}\u0000${p.path}`)!);
        if (typeof resolved === 'string') {
          out += resolved;
        } else {
          (errors[configKey] ??= []).push(`Cannot resolve ${p.text} in '${configKey}': ${resolved.problem}`);
          out += p.text;
        }
      }
      result[configKey] = out + value.slice(from);
    }
    const messages = Object.values(errors).flat();
    if (messages.length > 0) {
      const more = messages.length > 1 ? ` (and ${messages.length - 1} more)` : '';
      throw new ConfigError(messages[0] + more, errors);
    }
    return result;
  }

  private resolve(p: Placeholder, lookup: Lookup): string | { problem: string } {
    if ('error' in lookup) return { problem: messageOf(lookup.error) };
    const value = lookup.values.get(p.key);
    if (value !== undefined) return value;
    const provider = this.providers.get(p.alias)!;
    return { problem: provider.describeMissing?.(p.path, p.key) ?? `provider '${p.alias}' has no value for '${p.key}'` };
  }

  async close(): Promise<void> {
    for (const provider of this.providers.values()) await provider.close?.();
  }
}
