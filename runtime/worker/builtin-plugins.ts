/** Every plugin that ships with tsconnect. */
import type { PluginDescriptor } from '../api/plugin.js';
import { converterPlugins } from '../converters/index.js';
import { transformPlugins } from '../transforms/index.js';
import { plugins as filePlugins } from '../../connectors/file/index.js';
import { plugins as postgresPlugins } from '../../connectors/postgres-cdc/index.js';

export function builtinPlugins(): PluginDescriptor[] {
  return [...filePlugins, ...postgresPlugins, ...converterPlugins, ...transformPlugins];
}
