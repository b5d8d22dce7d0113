import { describe, expect, it } from 'vitest';
import { BigDecimal } from './big-decimal.js';
import { Decimal, DateType, TimeType, TimestampType, fromLogical, toLogical } from './logical.js';
import { Schemas } from './schema-builder.js';

describe('logical types', () => {
  it('Decimal: unscaled two\'s complement bytes at the schema scale', () => {
    const schema = Decimal.schema(2);
    expect(schema).toMatchObject({ type: 'bytes', name: 'org.apache.kafka.connect.data.Decimal', version: 1, parameters: { scale: '2' } });
    const bytes = fromLogical(schema, BigDecimal.parse('1.28')) as Uint8Array;
    expect([...bytes]).toEqual([0x00, 0x80]);
    expect((toLogical(schema, bytes) as BigDecimal).toString()).toBe('1.28');
    expect(() => fromLogical(schema, BigDecimal.parse('1.5'))).toThrow(/scale 1, the schema says 2/);
    expect(() => fromLogical(schema, 1.5)).toThrow(/BigDecimal/);
  });

  it('Date: days since the epoch, midnight UTC only', () => {
    expect(fromLogical(DateType.SCHEMA, new Date(Date.UTC(1970, 0, 11)))).toBe(10);
    expect(fromLogical(DateType.SCHEMA, new Date(Date.UTC(1969, 11, 31)))).toBe(-1);
    expect(toLogical(DateType.SCHEMA, 10)).toEqual(new Date(Date.UTC(1970, 0, 11)));
    expect(() => fromLogical(DateType.SCHEMA, new Date(Date.UTC(2020, 0, 1, 5)))).toThrow(/midnight/);
  });

  it('Time: milliseconds within the first day', () => {
    expect(fromLogical(TimeType.SCHEMA, new Date(3_723_004))).toBe(3_723_004);
    expect(() => fromLogical(TimeType.SCHEMA, new Date(86_400_000))).toThrow(/within the day/);
  });

  it('Timestamp: milliseconds since the epoch, bigint accepted on read', () => {
    expect(fromLogical(TimestampType.SCHEMA, new Date(1_700_000_000_000))).toBe(1_700_000_000_000);
    expect(toLogical(TimestampType.SCHEMA, 1_700_000_000_000n)).toEqual(new Date(1_700_000_000_000));
  });

  it('passes other values through', () => {
    expect(fromLogical(Schemas.INT32, 5)).toBe(5);
    expect(toLogical(Schemas.STRING, 'x')).toBe('x');
    expect(fromLogical(DateType.SCHEMA, null)).toBeNull();
  });
});
