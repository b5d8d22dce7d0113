/**
 * The key, value and header converters of one task: the connector's `key.converter` etc. when it
 * names one (configured with its `key.converter.*` keys), else the worker's.
 */
import type { Converter, HeaderConverter } from '../api/converter.js';
import { withPrefix } from '../config/config-spec.js';
import type { PluginRegistry } from './plugins.js';

export interface TaskConverters {
  key: Converter;
  value: Converter;
  header: HeaderConverter;
}


function pick(role: string, connector: Record<string, string>, worker: Record<string, string>, fallback: string): [string, Record<string, string>, string] {
  const own = connector[role];
  if (own) return [own, withPrefix(connector, `${role}.`), role];
  return [worker[role] || fallback, withPrefix(worker, `${role}.`), `worker ${role}`];
}

export function createTaskConverters(registry: PluginRegistry, connector: Record<string, string>, worker: Record<string, string>): TaskConverters {
  const [keyClass, keyProps, keyWhere] = pick('key.converter', connector, worker, 'org.apache.kafka.connect.json.JsonConverter');
  const [valueClass, valueProps, valueWhere] = pick('value.converter', connector, worker, 'org.apache.kafka.connect.json.JsonConverter');
  const [headerClass, headerProps, headerWhere] = pick('header.converter', connector, worker, 'org.apache.kafka.connect.storage.SimpleHeaderConverter');
  const key = registry.resolve(keyClass, ['converter'], keyWhere).create();
  key.configure(keyProps, true);
  const value = registry.resolve(valueClass, ['converter'], valueWhere).create();
  value.configure(valueProps, false);
  const header = registry.resolve(headerClass, ['header_converter'], headerWhere).create();
  header.configure(headerProps);
  return { key, value, header };
}
