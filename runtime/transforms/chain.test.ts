import { describe, expect, it } from 'vitest';
import { ConfigError, SourceRecord } from '../api/index.js';
import { TransformChain, chainConfigValues, type PluginResolver } from './chain.js';
import { transformPlugins } from './index.js';

const resolve: PluginResolver = (name) => transformPlugins.find((p) => p.className === name || p.aliases?.includes(name));

function errorsOf(config: Record<string, string>): Record<string, string[]> {
  try {
    TransformChain.fromConfig(config, resolve);
  } catch (e) {
    return (e as ConfigError).errors;
  }
  return {};
}

describe('TransformChain', () => {
  it('runs transforms in order, by Java class name or alias', () => {
    const chain = TransformChain.fromConfig({
      transforms: 'route, hoist',
      'transforms.route.type': 'org.apache.kafka.connect.transforms.RegexRouter',
      'transforms.route.regex': '(.*)',
      'transforms.route.replacement': 'prod-$1',
      'transforms.hoist.type': 'HoistField$Value',
      'transforms.hoist.field': 'line',
    }, resolve);
    expect(chain.aliases).toEqual(['route', 'hoist']);
    const out = chain.apply(new SourceRecord({ topic: 'orders', value: 'hello' }))!;
    expect(out.topic).toBe('prod-orders');
    expect(out.value).toEqual({ line: 'hello' });
  });

  it('drops only the records a negated predicate lets through to Filter', () => {
    const chain = TransformChain.fromConfig({
      transforms: 'keepProd',
      'transforms.keepProd.type': 'Filter',
      'transforms.keepProd.predicate': 'isProd',
      'transforms.keepProd.negate': 'true',
      predicates: 'isProd',
      'predicates.isProd.type': 'org.apache.kafka.connect.transforms.predicates.TopicNameMatches',
      'predicates.isProd.pattern': 'prod-.*',
    }, resolve);
    expect(chain.apply(new SourceRecord({ topic: 'prod-orders', value: 1 }))?.topic).toBe('prod-orders');
    expect(chain.apply(new SourceRecord({ topic: 'test-orders', value: 1 }))).toBeNull();
  });

  it('passes records through with no transforms', () => {
    const rec = new SourceRecord({ topic: 't' });
    expect(TransformChain.fromConfig({}, resolve).apply(rec)).toBe(rec);
  });

  it('collects every error keyed by the full connector key', () => {
    const errors = errorsOf({
      transforms: 'route,bad,missing,filter',
      'transforms.route.type': 'RegexRouter',
      'transforms.route.regex': '(',
      'transforms.bad.type': 'com.example.Nope',
      'transforms.filter.type': 'Filter',
      'transforms.filter.predicate': 'nope',
      'transforms.filter.negate': 'maybe',
      predicates: 'p',
      'predicates.p.type': 'RegexRouter',
    });
    expect(Object.keys(errors).sort()).toEqual([
      'predicates.p.type',
      'transforms.bad.type',
      'transforms.filter.negate',
      'transforms.filter.predicate',
      'transforms.missing.type',
      'transforms.route.regex',
      'transforms.route.replacement',
    ]);
    expect(errors['transforms.bad.type']![0]).toMatch(/Class com.example.Nope could not be found/);
    expect(errors['transforms.route.replacement']![0]).toMatch(/Missing required configuration "replacement"/);
  });

  it('reports a duplicate alias', () => {
    expect(errorsOf({ transforms: 'a,a', 'transforms.a.type': 'Filter' }).transforms![0]).toMatch(/Duplicate alias/);
  });

  it('gives REST validate entries for every chain key', () => {
    const values = chainConfigValues({
      transforms: 'ts',
      'transforms.ts.type': 'TimestampConverter$Value',
      'transforms.ts.target.type': 'string',
    }, resolve);
    const byName = new Map(values.map((v) => [v.name, v]));
    expect(byName.get('transforms.ts.type')!.value).toBe('TimestampConverter$Value');
    expect(byName.get('transforms.ts.unix.precision')!.value).toBe('milliseconds');
    expect(byName.get('transforms.ts.negate')!.value).toBe('false');
    expect(byName.get('transforms.ts.format')!.errors[0]).toMatch(/requires format option/);
  });
});
