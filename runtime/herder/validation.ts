/**
 * Validation of a connector config, shaped as Kafka Connect's validate answer: the common
 * connector keys, the connector's own keys, converters and transforms, every error at once.
 */
import { ConfigError } from '../api/errors.js';
import type { ConfigKeyDef, ConfigSpec, ConfigValue } from '../config/config-spec.js';
import { sinkConnectorConfigSpec, sourceConnectorConfigSpec } from '../worker/connector-config.js';
import type { PluginRegistry } from '../worker/plugins.js';
import { topicCreationProblems } from '../worker/topic-creation.js';
import { transformConfigValues } from '../worker/transforms.js';
import { configKeyInfo, type ConfigInfos } from './herder.js';

/** `topicCreation`: the worker's topic.creation.enable (the topic.creation.* keys are checked only then, as Kafka Connect does). */
export async function validateConnectorConfig(plugins: PluginRegistry, pluginName: string, config: Record<string, string>, options: { topicCreation: boolean } = { topicCreation: true }): Promise<ConfigInfos> {
  const connector = plugins.resolve(pluginName, ['source', 'sink'], 'connector.class').create();
  const common = connector.type === 'sink' ? sinkConnectorConfigSpec() : sourceConnectorConfigSpec();
  const entries: Array<{ def: ConfigKeyDef | null; value: ConfigValue }> = [];
  const add = (spec: ConfigSpec, values: ConfigValue[]) => {
    for (const value of values) {
      const def = spec.get(value.name);
      // A key outside the spec (a pattern key such as column.mask.with.4.chars) is listed only
      // with its errors, with a null definition, as Kafka Connect lists such values.
      if (def || value.errors.length > 0) entries.push({ def: def ?? null, value });
    }
  };
  const commonValues = common.validate(config);
  if (connector.type === 'sink') checkSinkTopics(config, commonValues);
  else if (options.topicCreation) {
    for (const p of topicCreationProblems(config)) {
      const entry = commonValues.find((v) => v.name === p.key);
      // A value the spec already refused (not a number) is not reported twice.
      if (entry) {
        if (entry.errors.length === 0) entry.errors.push(p.message);
      } else commonValues.push({ name: p.key, value: config[p.key] ?? null, recommendedValues: [], errors: [p.message], visible: true });
    }
  }
  add(common, commonValues);
  checkConverters(plugins, config, commonValues);
  const ownSpec = connector.config();
  const own = (await connector.validate(config)).filter((v) => !common.get(v.name));
  add(ownSpec, own);
  for (const { def, value } of transformConfigValues(config, plugins)) entries.push({ def, value });
  const groups = [...new Set(entries.map((e) => e.def?.group).filter((g): g is string => !!g))];
  return {
    name: pluginName,
    error_count: entries.reduce((n, e) => n + e.value.errors.length, 0),
    groups,
    configs: entries.map(({ def, value }, i) => ({
      definition: def ? configKeyInfo(def, i + 1) : null,
      value: { name: value.name, value: value.value, recommended_values: value.recommendedValues, errors: value.errors, visible: value.visible },
    })),
  };
}

/** Throws one ConfigError listing every error of a validate answer. */
export function throwIfInvalid(infos: ConfigInfos, name: string): void {
  if (infos.error_count === 0) return;
  const errors: Record<string, string[]> = {};
  for (const c of infos.configs) if (c.value.errors.length) errors[c.value.name] = c.value.errors;
  const lines = Object.entries(errors).flatMap(([k, es]) => es.map((e) => `${k}: ${e}`));
  throw new ConfigError(
    `Connector configuration is invalid and contains the following ${infos.error_count} error(s):\n${lines.join('\n')}\nYou can also find the above list of errors at the endpoint \`/connector-plugins/{connectorType}/config/validate\` (connector ${name})`,
    errors,
  );
}

function checkSinkTopics(config: Record<string, string>, values: ConfigValue[]): void {
  const topics = (config.topics ?? '').trim();
  const regex = (config['topics.regex'] ?? '').trim();
  const push = (key: string, msg: string) => values.find((v) => v.name === key)?.errors.push(msg);
  if (topics && regex) {
    const msg = 'topics and topics.regex are mutually exclusive options, but both are set.';
    push('topics', msg);
    push('topics.regex', msg);
  } else if (!topics && !regex) {
    const msg = 'Must configure one of topics or topics.regex';
    push('topics', msg);
    push('topics.regex', msg);
  }
  const dlq = (config['errors.deadletterqueue.topic.name'] ?? '').trim();
  if (dlq && topics.split(',').map((t) => t.trim()).includes(dlq)) {
    push('errors.deadletterqueue.topic.name', `The DLQ topic '${dlq}' may not be included in the list of topics ('topics=${topics}') consumed by the connector`);
  }
}

function checkConverters(plugins: PluginRegistry, config: Record<string, string>, values: ConfigValue[]): void {
  const roles: Array<[string, 'converter' | 'header_converter']> = [['key.converter', 'converter'], ['value.converter', 'converter'], ['header.converter', 'header_converter']];
  for (const [key, kind] of roles) {
    const name = config[key];
    if (!name) continue;
    try {
      const converter = plugins.resolve(name, [kind], key).create();
      const own = converter.config().validate(Object.fromEntries(Object.entries(config).filter(([k]) => k.startsWith(`${key}.`)).map(([k, v]) => [k.slice(key.length + 1), v])));
      const errs = own.flatMap((v) => v.errors.map((e) => `${key}.${v.name}: ${e}`));
      values.find((v) => v.name === key)?.errors.push(...errs);
    } catch (e) {
      values.find((v) => v.name === key)?.errors.push(...(e instanceof ConfigError ? Object.values(e.errors).flat() : [(e as Error).message]));
    }
  }
}
