import { describe, expect, it } from 'vitest';
import { postgresConfigSpec, tableFilter } from './config.js';

const BASE = { 'topic.prefix': 'p', 'database.hostname': 'h', 'database.user': 'u', 'database.dbname': 'd' };

function filter(extra: Record<string, string>) {
  return tableFilter(postgresConfigSpec().parse({ ...BASE, ...extra }));
}

describe('regex-list keys', () => {
  it('keeps a {m,n} quantifier whole instead of cutting the regex at its comma', () => {
    const f = filter({ 'table.include.list': 'public.t_\\d{1,3}, inventory.orders' });
    expect(f.includes('public', 't_12')).toBe(true);
    expect(f.includes('public', 't_1234')).toBe(false);
    expect(f.includes('inventory', 'orders')).toBe(true);
    expect(f.includes('public', 'orders')).toBe(false);
  });

  it('takes \\, as a comma inside a regex, as Debezium does', () => {
    const f = filter({ 'column.exclude.list': 'public.t.(a\\,b|c)' });
    expect(f.includesColumn('public', 't', 'a,b')).toBe(false);
    expect(f.includesColumn('public', 't', 'c')).toBe(false);
    expect(f.includesColumn('public', 't', 'a')).toBe(true);
  });

  it('matches whole names case-insensitively', () => {
    const f = filter({ 'schema.include.list': 'PUBLIC' });
    expect(f.includes('public', 'x')).toBe(true);
    expect(f.includes('public2', 'x')).toBe(false);
  });

  it('rejects a regex that does not compile, naming the key', () => {
    const errors = postgresConfigSpec().validate({ ...BASE, 'table.include.list': 'public.ok, public.(broken' });
    const msg = errors.find((e) => e.name === 'table.include.list')?.errors ?? [];
    expect(msg.join(' ')).toMatch(/Invalid regular expression 'public\.\(broken'/);
  });
});
