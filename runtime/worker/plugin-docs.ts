/** The docs page of each plugin, generated from its ConfigSpec. */
import type { PluginDescriptor } from '../api/plugin.js';

export interface PluginPage {
  file: string;
  className: string;
  kind: string;
  aliases: string[];
  text: string;
}

export function pluginDocs(plugins: PluginDescriptor[]): PluginPage[] {
  const seen = new Set<string>();
  const pages: PluginPage[] = [];
  for (const d of plugins) {
    // A class that is both a converter and a header converter gets one page.
    if (seen.has(d.className)) continue;
    seen.add(d.className);
    const spec = d.create().config();
    const aliases = d.aliases ?? [];
    const intro = [`Type: ${d.kind}. Version: ${d.version}.`];
    if (aliases.length) intro.push(`Also known as: ${aliases.map((a) => `\`${a}\``).join(', ')}.`);
    const body = spec.definitions().length ? spec.toMarkdown(d.className) : `# ${d.className}\n\nNo settings.\n`;
    const [title, ...rest] = body.split('\n');
    pages.push({ file: `${d.className.replace(/\$/g, '-')}.md`, className: d.className, kind: d.kind, aliases, text: [title, '', ...intro, ...rest].join('\n') });
  }
  return pages;
}
