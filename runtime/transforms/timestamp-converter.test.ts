import { describe, expect, it } from 'vitest';
import { ConfigError, DateType, SchemaBuilder, Schemas, SourceRecord, Struct, TimestampType } from '../api/index.js';
import { TimestampConverter } from './timestamp-converter.js';

function converter(props: Record<string, string>): TimestampConverter {
  const t = new TimestampConverter('value');
  t.configure(props);
  return t;
}

describe('TimestampConverter', () => {
  const ms = Date.UTC(2024, 0, 31, 13, 5, 9, 7);
  const schema = SchemaBuilder.struct().field('id', Schemas.INT32).field('at', Schemas.STRING).build();

  it('converts a string field to a Timestamp with a format', () => {
    const value = new Struct(schema).put('id', 1).put('at', '2024-01-31 13:05:09.007');
    const out = converter({ field: 'at', 'target.type': 'Timestamp', format: 'yyyy-MM-dd HH:mm:ss.SSS' }).apply(new SourceRecord({ topic: 't', valueSchema: schema, value }))!;
    expect(out.valueSchema!.field('at')!.schema.name).toBe(TimestampType.LOGICAL_NAME);
    expect((out.value as Struct).get('at')).toEqual(new Date(ms));
    expect((out.value as Struct).get('id')).toBe(1);
  });

  it('converts a whole Timestamp value to a formatted string and to a Date', () => {
    const rec = new SourceRecord({ topic: 't', valueSchema: TimestampType.SCHEMA, value: new Date(ms) });
    const text = converter({ 'target.type': 'string', format: "yyyy-MM-dd'T'HH:mm" }).apply(rec)!;
    expect(text.value).toBe('2024-01-31T13:05');
    expect(text.valueSchema).toBe(Schemas.STRING);
    const date = converter({ 'target.type': 'Date' }).apply(rec)!;
    expect(date.value).toEqual(new Date(Date.UTC(2024, 0, 31)));
    expect(date.valueSchema!.name).toBe(DateType.LOGICAL_NAME);
  });

  it('converts schemaless unix numbers with a precision, nanoseconds as bigint', () => {
    const rec = new SourceRecord({ topic: 't', value: { at: ms * 1000 } });
    const out = converter({ field: 'at', 'target.type': 'unix', 'unix.precision': 'microseconds' }).apply(rec)!;
    expect(out.value).toEqual({ at: ms * 1000 });
    const nanos = converter({ 'target.type': 'unix', 'unix.precision': 'nanoseconds' }).apply(new SourceRecord({ topic: 't', value: new Date(ms) }))!;
    expect(nanos.value).toBe(BigInt(ms) * 1_000_000n);
    const back = converter({ 'target.type': 'Timestamp', 'unix.precision': 'nanoseconds' }).apply(new SourceRecord({ topic: 't', value: BigInt(ms) * 1_000_000n + 999n }))!;
    expect(back.value).toEqual(new Date(ms));
  });

  it('says which value did not match the pattern', () => {
    const t = converter({ 'target.type': 'Timestamp', format: 'yyyy-MM-dd' });
    expect(() => t.apply(new SourceRecord({ topic: 't', valueSchema: Schemas.STRING, value: 'yesterday' }))).toThrow(
      'Could not parse timestamp: value (yesterday) does not match pattern (yyyy-MM-dd)',
    );
  });

  it('lists every bad key at once', () => {
    try {
      converter({ 'target.type': 'string', 'unix.precision': 'days' });
      expect.unreachable();
    } catch (e) {
      expect(Object.keys((e as ConfigError).errors).sort()).toEqual(['format', 'unix.precision']);
    }
    expect(() => converter({ 'target.type': 'unix', format: 'yyyy-bb' })).toThrow(/SimpleDateFormat-compatible pattern/);
    expect(() => converter({ 'target.type': 'timestamp' })).toThrow(/String must be one of/);
  });
});
