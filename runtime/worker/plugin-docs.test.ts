import { describe, expect, it } from 'vitest';
import { builtinPlugins } from './builtin-plugins.js';
import { pluginDocs } from './plugin-docs.js';

describe('plugin docs', () => {
  it('has a page for every built-in plugin, listing its keys', () => {
    const pages = pluginDocs(builtinPlugins());
    const source = pages.find((p) => p.className === 'org.apache.kafka.connect.file.FileStreamSourceConnector')!;
    expect(source.text).toContain('| `topic` | list | (required) |');
    expect(source.text).toContain('Also known as: `FileStreamSource`');
    const router = pages.find((p) => p.className === 'org.apache.kafka.connect.transforms.RegexRouter')!;
    expect(router.text).toContain('`regex`');
    expect(new Set(pages.map((p) => p.file)).size).toBe(pages.length);
  });
});
