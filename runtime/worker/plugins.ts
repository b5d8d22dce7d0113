/**
 * The plugin registry: resolves the class names users write (Java names, aliases, short names) to
 * plugins, and lists them for GET /connector-plugins. Built-ins are registered at start; modules in
 * `plugin.path` directories that export `plugins: PluginDescriptor[]` are added to them.
 */
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError } from '../api/errors.js';
import { getLogger } from '../api/logger.js';
import type { PluginDescriptor, PluginKind } from '../api/plugin.js';

const log = getLogger('worker.plugins');

type Of<K extends PluginKind> = Extract<PluginDescriptor, { kind: K }>;

export class PluginRegistry {
  private readonly byName = new Map<string, PluginDescriptor[]>();
  private readonly all: PluginDescriptor[] = [];

  constructor(descriptors: PluginDescriptor[] = []) {
    for (const d of descriptors) this.register(d);
  }

  register(d: PluginDescriptor): void {
    this.all.push(d);
    const simple = d.className.slice(d.className.lastIndexOf('.') + 1);
    for (const name of new Set([d.className, simple, ...(d.aliases ?? [])])) {
      const list = this.byName.get(name) ?? [];
      list.push(d);
      this.byName.set(name, list);
    }
  }

  /** Loads every .js/.mjs module under the given directories that exports `plugins`. */
  async loadPluginPath(dirs: string[]): Promise<void> {
    for (const dir of dirs) {
      const files = await listModules(resolve(dir));
      for (const file of files) {
        const mod = (await import(pathToFileURL(file).href)) as { plugins?: PluginDescriptor[] };
        if (!Array.isArray(mod.plugins)) continue;
        for (const p of mod.plugins) this.register(p);
        log.info(`loaded ${mod.plugins.length} plugin(s) from ${file}`);
      }
    }
  }

  /** The plugin of one of the kinds with this name; null when there is none. */
  find<K extends PluginKind>(name: string, kinds: K[]): Of<K> | null {
    const hits = (this.byName.get(name.trim()) ?? []).filter((d): d is Of<K> => kinds.includes(d.kind as K));
    return hits[0] ?? null;
  }

  /** As find, but an unknown name is a ConfigError that lists the plugins there are. */
  resolve<K extends PluginKind>(name: string, kinds: K[], key: string): Of<K> {
    const hit = this.find(name, kinds);
    if (hit) return hit;
    const available = this.list(kinds).map((d) => d.className);
    throw new ConfigError(
      `Failed to find any class that implements ${kinds.join('/')} and which name matches ${name} (${key}); available: ${available.join(', ')}`,
      { [key]: [`Failed to find any class that implements ${kinds.join('/')} and which name matches ${name}, available plugins are: ${available.join(', ')}`] },
    );
  }

  list(kinds?: PluginKind[]): PluginDescriptor[] {
    return this.all.filter((d) => !kinds || kinds.includes(d.kind));
  }
}

async function listModules(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules') out.push(...(await listModules(path)));
    else if (/\.(m?js)$/.test(entry.name)) out.push(path);
  }
  return out.sort();
}
