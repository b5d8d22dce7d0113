/** Builds a connector's transform chain from its `transforms`/`predicates` keys, through the plugin registry. */
import type { ConfigKeyDef, ConfigValue } from '../config/config-spec.js';
import { TransformChain, chainConfigValues, type PluginResolver } from '../transforms/chain.js';
import type { PluginRegistry } from './plugins.js';
import { IDENTITY, type RecordTransformer } from './transformer.js';

function resolver(plugins: PluginRegistry): PluginResolver {
  return (name) => plugins.find(name, ['transformation', 'predicate']);
}

export function createTransformer(config: Record<string, string>, plugins: PluginRegistry): RecordTransformer {
  if (!config.transforms?.trim()) return IDENTITY;
  return TransformChain.fromConfig(config, resolver(plugins));
}

/** The validate answer's entries for each transform's and predicate's keys (`transforms.<alias>.*`). */
export function transformConfigValues(config: Record<string, string>, plugins: PluginRegistry): Array<{ def: ConfigKeyDef; value: ConfigValue }> {
  return chainConfigValues(config, resolver(plugins))
    // `transforms` and `predicates` themselves are common connector keys, reported there.
    .filter((value) => value.name !== 'transforms' && value.name !== 'predicates')
    .map((value) => ({
      def: {
        name: value.name,
        type: 'string',
        default: null,
        importance: 'low',
        doc: `Transform or predicate setting ${value.name}`,
        group: value.name.startsWith('predicates.') ? 'Predicates' : 'Transforms',
      } satisfies ConfigKeyDef,
      value,
    }));
}
