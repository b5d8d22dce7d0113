import { describe, expect, it } from 'vitest';
import { Schemas } from '../../runtime/api/index.js';
import { hashValue, javaSerializedString } from './column-hash.js';
import { ColumnMappers } from './column-mappers.js';
import { sourceLength, sourceScale } from './types/source-type.js';
import type { ColumnType } from './types/index.js';

const text: ColumnType = { name: 'text', oid: 25, typeMod: -1, optional: true };
const col = (name: string, type: ColumnType = text) => ({ name, type });

describe('column mappers', () => {
  it('serializes a String as Java does: modified UTF-8, NUL as C0 80, long strings with an 8-byte length', () => {
    expect(javaSerializedString('a\u0000é').toString('hex')).toBe('aced00057400056 1c080c3a9'.replace(/ /g, ''));
    const long = javaSerializedString('x'.repeat(70_000));
    expect(long.subarray(0, 13).toString('hex')).toBe('aced00057c' + (70_000).toString(16).padStart(16, '0'));
    // Debezium 3.6.1's SHA-256 of 'hello' under salt CzQMA0cB5K, v1 and v2.
    expect(hashValue('sha256', Buffer.from('CzQMA0cB5K'), 'v1', 'hello')).toBe('b4d39ab0d198fb4cac8b2f023da74f670bcaf192dcc79b5d6361b7ae6b2fafdf');
    expect(hashValue('sha256', Buffer.from('CzQMA0cB5K'), 'v2', 'hello')).toBe('c4bf2f9ebc99b7f64add45103e81eb4ca483649064e3e1398b21f41786360c7b');
  });

  it('applies the first matching rule in Debezium\'s order, whatever the order of the keys', () => {
    const m = ColumnMappers.fromConfig({
      'column.mask.hash.SHA-256.with.salt.s': 'public.t.a',
      'column.propagate.source.type': 'public.t.a,public.t.b',
      'column.truncate.to.2.chars': 'public.t.b',
    });
    expect(m.mappingFor('public', 't', col('a'), Schemas.OPTIONAL_STRING)!.schema.parameters).toMatchObject({ '__debezium.source.column.type': 'TEXT' });
    const b = m.mappingFor('public', 't', col('b'), Schemas.OPTIONAL_STRING)!;
    expect(b.schema.parameters).toEqual({ truncateLength: '2' });
    expect(b.map!('xyz')).toBe('xy');
    expect(m.mappingFor('public', 't', col('c'), Schemas.OPTIONAL_STRING)).toBeNull();
  });

  it('keeps commas inside {m,n} and escaped commas in a pattern', () => {
    const m = ColumnMappers.fromConfig({ 'column.mask.with.3.chars': 'public\\.t\\.c_{1,2}x, public.t.a\\,b' });
    expect(m.mappingFor('public', 't', col('c_x'), Schemas.OPTIONAL_STRING)?.map?.('v')).toBe('***');
    expect(m.mappingFor('public', 't', col('c__x'), Schemas.OPTIONAL_STRING)?.map?.(null)).toBe('***');
    expect(m.mappingFor('public', 't', col('a,b'), Schemas.OPTIONAL_STRING)).not.toBeNull();
  });

  it('names the key of an unknown hash algorithm or a bad pattern', () => {
    expect(() => ColumnMappers.fromConfig({ 'column.mask.hash.MD2.with.salt.x': 'public.t.a' })).toThrow(/Invalid hash algorithm 'MD2' in key column\.mask\.hash\.MD2\.with\.salt\.x/);
    expect(ColumnMappers.problems({ 'column.mask.with.3.chars': 'public.t.(' })).toEqual([
      { key: 'column.mask.with.3.chars', message: expect.stringMatching(/Invalid regular expression 'public\.t\.\(' in column\.mask\.with\.3\.chars/) },
    ]);
  });

  it('knows lengths and scales as the JDBC driver reports them', () => {
    const t = (name: string, oid: number, typeMod = -1, elementOid?: number): ColumnType => ({ name, oid, typeMod, optional: true, ...(elementOid ? { elementOid } : {}) });
    expect([sourceLength(t('timetz', 1266)), sourceScale(t('timetz', 1266))]).toEqual([21, 6]);
    expect([sourceLength(t('time', 1083, 1)), sourceScale(t('time', 1083, 1))]).toEqual([11, 1]);
    expect([sourceLength(t('interval', 1186)), sourceScale(t('interval', 1186))]).toEqual([49, 6]);
    expect(sourceLength(t('bit', 1560, 4))).toBe(4);
    expect(sourceLength(t('varbit', 1562))).toBe(2147483647);
    expect([sourceLength(t('_varchar', 1015, 14, 1043)), sourceScale(t('numeric', 1700, (12 << 16) + 4 + 4))]).toEqual([10, 4]);
  });
});
