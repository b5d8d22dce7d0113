import { describe, expect, it } from 'vitest';
import { allRoutes } from './app.js';
import { openApiDocument } from './openapi.js';
import { TestHerder } from './test-herder.js';

describe('openApiDocument', () => {
  it('describes every mounted route and method, and nothing else', () => {
    const mounted = allRoutes(new TestHerder()).map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`).sort();
    const paths = openApiDocument.paths as Record<string, Record<string, unknown>>;
    const described = Object.entries(paths)
      .flatMap(([path, item]) => Object.keys(item).filter((k) => k !== 'parameters').map((method) => `${method} ${path}`))
      .sort();
    expect(described).toEqual(mounted);
  });

  it('resolves every $ref to a schema it defines', () => {
    const text = JSON.stringify(openApiDocument);
    const refs = [...text.matchAll(/"\$ref":"#\/components\/schemas\/(\w+)"/g)].map((m) => m[1]!);
    const defined = Object.keys(openApiDocument.components.schemas);
    expect(refs.length).toBeGreaterThan(20);
    expect(refs.filter((r) => !defined.includes(r))).toEqual([]);
  });

  it('gives every operation a summary and at least one response', () => {
    const paths = openApiDocument.paths as Record<string, Record<string, { summary?: string; responses?: object }>>;
    for (const [path, item] of Object.entries(paths)) {
      for (const [method, op] of Object.entries(item)) {
        if (method === 'parameters') continue;
        expect(op.summary, `${method} ${path}`).toBeTruthy();
        expect(Object.keys(op.responses ?? {}).length, `${method} ${path}`).toBeGreaterThan(0);
      }
    }
  });
});
