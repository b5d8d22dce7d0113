/** docs/plugins is generated from the plugins' ConfigSpecs: it must match what `npm run docs` writes. */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinPlugins } from '../runtime/worker/builtin-plugins.js';
import { pluginDocs } from '../runtime/worker/plugin-docs.js';

const DOCS = resolve(import.meta.dirname, '../docs/plugins');

describe('docs/plugins', () => {
  it('is up to date with every plugin (run `npm run build && npm run docs` when this fails)', async () => {
    for (const page of pluginDocs(builtinPlugins())) {
      const written = await readFile(join(DOCS, page.file), 'utf8').catch(() => '(missing)');
      expect(written, page.file).toBe(page.text);
    }
  });
});
