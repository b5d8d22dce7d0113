/**
 * The transforms of one connector, built from its config the way Kafka Connect reads it:
 *
 *   transforms=route,drop            predicates=isTest
 *   transforms.route.type=RegexRouter  transforms.route.regex=...  transforms.route.replacement=...
 *   transforms.drop.type=Filter        transforms.drop.predicate=isTest  transforms.drop.negate=false
 *   predicates.isTest.type=TopicNameMatches  predicates.isTest.pattern=test-.*
 *
 * Plugins are looked up through a resolver, so the chain does not own the plugin registry. Every
 * problem (unknown type, unknown predicate alias, a bad key of any transform) is reported at once,
 * keyed by the full connector key (`transforms.route.regex`).
 */
import {
  ConfigError,
  type AnyRecord,
  type ConfigValue,
  type PluginDescriptor,
  type Predicate,
  type Transformation,
} from '../api/index.js';

/** Finds a plugin by class name or alias; null or undefined when there is none. */
export type PluginResolver = (className: string) => PluginDescriptor | null | undefined;

interface Stage {
  alias: string;
  transform: Transformation;
  predicate: Predicate | null;
  negate: boolean;
}

/** Keys of `transforms.<alias>.` that belong to the chain rather than to the transform. */
const STAGE_KEYS = ['type', 'predicate', 'negate'];

export class TransformChain {
  private constructor(
    private readonly stages: Stage[],
    private readonly predicates: Predicate[],
  ) {}

  /** A chain that passes every record through unchanged. */
  static empty(): TransformChain {
    return new TransformChain([], []);
  }

  /** Builds and configures every transform and predicate; throws one ConfigError listing every problem. */
  static fromConfig(config: Record<string, string>, resolve: PluginResolver): TransformChain {
    const analysis = analyse(config, resolve);
    const errors: Record<string, string[]> = {};
    for (const v of analysis.values) if (v.errors.length) errors[v.name] = v.errors;
    const chain = new TransformChain(analysis.stages, [...analysis.predicates.values()]);
    const lines = Object.values(errors).flat();
    if (lines.length) {
      chain.close();
      throw new ConfigError(`transforms config has ${lines.length} error(s):\n${lines.join('\n')}`, errors);
    }
    return chain;
  }

  /** The transform aliases, in the order they run. */
  get aliases(): string[] {
    return this.stages.map((s) => s.alias);
  }

  /** Runs the record through each transform whose predicate allows it; null once one drops it. */
  apply<R extends AnyRecord>(record: R): R | null {
    let current: R | null = record;
    for (const stage of this.stages) {
      if (stage.predicate && stage.predicate.test(current) === stage.negate) continue;
      current = stage.transform.apply(current);
      if (current === null) return null;
    }
    return current;
  }

  close(): void {
    for (const s of this.stages) s.transform.close();
    for (const p of this.predicates) p.close();
  }
}

/**
 * The REST validate entries for the chain's keys: `transforms`, `predicates`, and for each alias its
 * `type`, `predicate`, `negate` and every key of the transform's own spec, each with all its errors.
 */
export function chainConfigValues(config: Record<string, string>, resolve: PluginResolver): ConfigValue[] {
  const analysis = analyse(config, resolve);
  analysis.stages.forEach((s) => s.transform.close());
  analysis.predicates.forEach((p) => p.close());
  return analysis.values;
}

interface Analysis {
  values: ConfigValue[];
  stages: Stage[];
  predicates: Map<string, Predicate>;
}

function entry(name: string, value: string | null, errors: string[] = []): ConfigValue {
  return { name, value, recommendedValues: [], errors, visible: true };
}

function aliasList(config: Record<string, string>, key: string): { aliases: string[]; value: ConfigValue } {
  const raw = config[key];
  const aliases = raw === undefined || raw.trim() === '' ? [] : raw.split(',').map((s) => s.trim());
  const errors: string[] = [];
  if (aliases.some((a) => a === '')) errors.push(`Invalid value ${raw} for configuration ${key}: an alias cannot be empty`);
  if (new Set(aliases).size !== aliases.length) errors.push(`Invalid value ${raw} for configuration ${key}: Duplicate alias provided.`);
  return { aliases: aliases.filter((a) => a !== ''), value: entry(key, raw ?? '', errors) };
}

function propsWithPrefix(config: Record<string, string>, prefix: string, skip: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(config)) {
    if (!k.startsWith(prefix)) continue;
    const key = k.slice(prefix.length);
    if (!skip.includes(key)) out[key] = v;
  }
  return out;
}

/**
 * Creates and configures one plugin of an alias, recording its config values under `prefix`.
 * Returns the configured instance, or null when its type or config is bad.
 */
function configurePlugin<K extends 'transformation' | 'predicate'>(
  kind: K,
  prefix: string,
  config: Record<string, string>,
  resolve: PluginResolver,
  skip: string[],
  values: ConfigValue[],
): (K extends 'transformation' ? Transformation : Predicate) | null {
  const typeKey = `${prefix}type`;
  const type = config[typeKey]?.trim();
  const typeValue = entry(typeKey, type ?? null);
  values.push(typeValue);
  if (!type) {
    typeValue.errors.push(`Missing required configuration "${typeKey}" which has no default value.`);
    return null;
  }
  const descriptor = resolve(type);
  if (!descriptor) {
    typeValue.errors.push(`Invalid value ${type} for configuration ${typeKey}: Class ${type} could not be found.`);
    return null;
  }
  if (descriptor.kind !== kind) {
    typeValue.errors.push(`Invalid value ${type} for configuration ${typeKey}: ${descriptor.className} is a ${descriptor.kind}, not a ${kind}`);
    return null;
  }
  const instance = descriptor.create() as Transformation | Predicate;
  const props = propsWithPrefix(config, prefix, skip);
  const own = instance.config().validate(props).map((v) => ({ ...v, name: `${prefix}${v.name}`, errors: [...v.errors] }));
  values.push(...own);
  try {
    instance.configure(props);
    return instance as K extends 'transformation' ? Transformation : Predicate;
  } catch (e) {
    const keyed = e instanceof ConfigError && Object.keys(e.errors).length ? e.errors : { type: [(e as Error).message] };
    for (const [key, msgs] of Object.entries(keyed)) {
      const name = `${prefix}${key}`;
      let target = values.find((v) => v.name === name);
      if (!target) {
        target = entry(name, config[name] ?? null);
        values.push(target);
      }
      for (const m of msgs) if (!target.errors.includes(m)) target.errors.push(m);
    }
    instance.close();
    return null;
  }
}

function analyse(config: Record<string, string>, resolve: PluginResolver): Analysis {
  const values: ConfigValue[] = [];
  const transforms = aliasList(config, 'transforms');
  const predicateAliases = aliasList(config, 'predicates');
  values.push(transforms.value, predicateAliases.value);

  const predicates = new Map<string, Predicate>();
  for (const alias of new Set(predicateAliases.aliases)) {
    const p = configurePlugin('predicate', `predicates.${alias}.`, config, resolve, ['type'], values);
    if (p) predicates.set(alias, p);
  }

  const stages: Stage[] = [];
  for (const alias of new Set(transforms.aliases)) {
    const prefix = `transforms.${alias}.`;
    const transform = configurePlugin('transformation', prefix, config, resolve, STAGE_KEYS, values);

    const predicateKey = `${prefix}predicate`;
    const predicateAlias = config[predicateKey]?.trim() || null;
    const predicateValue = entry(predicateKey, predicateAlias);
    if (predicateAlias !== null && !predicateAliases.aliases.includes(predicateAlias)) {
      predicateValue.errors.push(`Invalid value ${predicateAlias} for configuration ${predicateKey}: predicate '${predicateAlias}' is not listed in 'predicates'`);
    }
    const negateKey = `${prefix}negate`;
    const negateRaw = config[negateKey]?.trim().toLowerCase();
    const negateValue = entry(negateKey, config[negateKey] ?? 'false');
    if (negateRaw !== undefined && negateRaw !== 'true' && negateRaw !== 'false') {
      negateValue.errors.push(`Invalid value ${config[negateKey]} for configuration ${negateKey}: Expected value to be either true or false`);
    }
    values.push(predicateValue, negateValue);

    if (transform) {
      stages.push({ alias, transform, predicate: predicateAlias ? predicates.get(predicateAlias) ?? null : null, negate: negateRaw === 'true' });
    }
  }
  return { values, stages, predicates };
}
