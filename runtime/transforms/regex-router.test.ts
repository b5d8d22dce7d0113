import { describe, expect, it } from 'vitest';
import { ConfigError, SinkRecord, SourceRecord } from '../api/index.js';
import { RegexRouter } from './regex-router.js';

function router(regex: string, replacement: string): RegexRouter {
  const r = new RegexRouter();
  r.configure({ regex, replacement });
  return r;
}

describe('RegexRouter', () => {
  it('renames orders to prod-orders with a group reference', () => {
    const out = router('(.*)', 'prod-$1').apply(new SourceRecord({ topic: 'orders', value: 'x' }))!;
    expect(out.topic).toBe('prod-orders');
    expect(out.value).toBe('x');
  });

  it('needs the whole topic to match, as Java matches() does', () => {
    const r = router('ord', 'x');
    expect(r.apply(new SourceRecord({ topic: 'orders' }))!.topic).toBe('orders');
    expect(router('(ord)ers', '$1').apply(new SourceRecord({ topic: 'orders' }))!.topic).toBe('ord');
  });

  it('keeps the sink record class and its original topic', () => {
    const rec = new SinkRecord({ topic: 'db.public.users', kafkaPartition: 3, kafkaOffset: 9 });
    const out = router('db\\.public\\.(.*)', 'pg_$1').apply(rec)!;
    expect(out).toBeInstanceOf(SinkRecord);
    expect(out.topic).toBe('pg_users');
    expect(out.originalTopic).toBe('db.public.users');
  });

  it('supports named groups, escapes and (?i)', () => {
    expect(router('(?<env>\\w+)-(.*)', '${env}_$2\\$').apply(new SourceRecord({ topic: 'prod-orders' }))!.topic).toBe('prod_orders$');
    expect(router('(?i)ORDERS', 'o').apply(new SourceRecord({ topic: 'orders' }))!.topic).toBe('o');
  });

  it('reports a bad regex, a missing group and missing keys at once', () => {
    const errors = (props: Record<string, string>) => {
      try {
        new RegexRouter().configure(props);
        return {};
      } catch (e) {
        return (e as ConfigError).errors;
      }
    };
    expect(Object.keys(errors({}))).toEqual(['regex', 'replacement']);
    expect(errors({ regex: '(', replacement: 'x' }).regex![0]).toMatch(/Invalid value \( for configuration regex/);
    expect(errors({ regex: '(a)', replacement: '$2' }).replacement![0]).toMatch(/No group 2/);
  });
});
