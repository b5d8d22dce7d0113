/**
 * `tsconnect plugins`: the plugin classes a worker would offer, with type and version, as
 * GET /connector-plugins?connectorsOnly=false answers. With --worker-config it also loads the
 * worker's plugin.path, so a user can check that their own plugins are found.
 */
import type { PluginKind } from '../../../runtime/api/plugin.js';
import type { OptionSpec } from './args.js';
import { out, type Subcommand } from './command.js';
import { workerProperties } from './log-options.js';

const NAME = 'tsconnect plugins';

const OPTIONS: OptionSpec[] = [
  { name: 'connectors-only', kind: 'flag', doc: 'only source and sink connectors (GET /connector-plugins without connectorsOnly=false)' },
  { name: 'json', kind: 'flag', doc: 'print the JSON array the REST API answers' },
  { name: 'worker-config', kind: 'value', arg: '<file>', doc: 'also load the plugin.path directories of this worker file' },
  { name: 'help', kind: 'flag', doc: 'show this help' },
];

export interface PluginRow {
  class: string;
  type: PluginKind;
  version: string;
}

export const pluginsCommand: Subcommand = {
  name: 'plugins',
  summary: 'list plugin classes with type and version',
  usage: `${NAME} [--connectors-only] [--json] [--worker-config worker.properties]`,
  options: OPTIONS,
  async run(parsed) {
    // Loaded here, not at the top, so the log subcommands start without importing every plugin.
    const { builtinPlugins } = await import('../../../runtime/worker/builtin-plugins.js');
    const { PluginRegistry } = await import('../../../runtime/worker/plugins.js');
    const registry = new PluginRegistry(builtinPlugins());
    const pluginPath = (await workerProperties(parsed)).get('plugin.path');
    if (pluginPath) await registry.loadPluginPath(pluginPath.split(',').map((d) => d.trim()).filter(Boolean));
    const kinds: PluginKind[] | undefined = parsed.flags.has('connectors-only') ? ['source', 'sink'] : undefined;
    const rows: PluginRow[] = registry.list(kinds).map((d) => ({ class: d.className, type: d.kind, version: d.version }));
    await out(parsed.flags.has('json') ? `${JSON.stringify(rows, null, 2)}\n` : pluginTable(rows));
    return 0;
  },
};

export function pluginTable(rows: PluginRow[]): string {
  const header: [string, string, string] = ['CLASS', 'TYPE', 'VERSION'];
  const cells = [header, ...rows.map((r): [string, string, string] => [r.class, r.type, r.version])];
  const w0 = Math.max(...cells.map((c) => c[0].length));
  const w1 = Math.max(...cells.map((c) => c[1].length));
  return cells.map(([a, b, c]) => `${a.padEnd(w0)}  ${b.padEnd(w1)}  ${c}\n`).join('');
}
