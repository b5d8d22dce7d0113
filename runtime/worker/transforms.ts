/** Builds a connector's transform chain from its `transforms`/`predicates` keys. */
import type { ConfigKeyDef, ConfigValue } from '../config/config-spec.js';
import type { PluginRegistry } from './plugins.js';
import { IDENTITY, type RecordTransformer } from './transformer.js';

export function createTransformer(config: Record<string, string>, _plugins: PluginRegistry): RecordTransformer {
  if (!config.transforms?.trim()) return IDENTITY;
  throw new Error('transforms are not wired in yet');
}

/** The validate answer's entries for the transform and predicate keys. */
export function transformConfigValues(_config: Record<string, string>, _plugins: PluginRegistry): Array<{ def: ConfigKeyDef; value: ConfigValue }> {
  return [];
}
