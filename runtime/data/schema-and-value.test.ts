import { describe, expect, it } from 'vitest';
import { BigDecimal } from './big-decimal.js';
import { Decimal, DateType, TimestampType } from './logical.js';
import { inferSchema } from './schema-and-value.js';
import { SchemaBuilder, Schemas } from './schema-builder.js';
import { Struct } from './struct.js';
import { validateValue } from './validate.js';

describe('inferSchema', () => {
  it('gives primitives their schema, integers the smallest int type', () => {
    expect(inferSchema('x')).toBe(Schemas.STRING);
    expect(inferSchema(true)).toBe(Schemas.BOOLEAN);
    expect(inferSchema(100)).toBe(Schemas.INT8);
    expect(inferSchema(1000)).toBe(Schemas.INT16);
    expect(inferSchema(100000)).toBe(Schemas.INT32);
    expect(inferSchema(2 ** 40)).toBe(Schemas.INT64);
    expect(inferSchema(2n ** 70n)).toBe(Schemas.INT64);
    expect(inferSchema(1.5)).toBe(Schemas.FLOAT64);
    expect(inferSchema(new Uint8Array(1))).toBe(Schemas.BYTES);
    expect(inferSchema(null)).toBeNull();
  });

  it('gives logical values their logical schema', () => {
    expect(inferSchema(BigDecimal.parse('1.25'))!.equals(Decimal.schema(2))).toBe(true);
    expect(inferSchema(new Date(Date.UTC(2020, 0, 1)))).toBe(DateType.SCHEMA);
    expect(inferSchema(new Date(Date.UTC(2020, 0, 1, 1)))).toBe(TimestampType.SCHEMA);
  });

  it('infers arrays and maps of one element schema, null when mixed or empty', () => {
    expect(inferSchema(['a', 'b'])!.equals(SchemaBuilder.array(Schemas.STRING).build())).toBe(true);
    expect(inferSchema({ a: 'x' })!.equals(SchemaBuilder.map(Schemas.STRING, Schemas.STRING).build())).toBe(true);
    expect(inferSchema(['a', 1])).toBeNull();
    expect(inferSchema([])).toBeNull();
    const s = SchemaBuilder.struct().field('a', Schemas.INT32).build();
    expect(inferSchema(new Struct(s).put('a', 1))).toBe(s);
  });
});

describe('validateValue', () => {
  it('says where and why', () => {
    expect(() => validateValue(Schemas.INT64, 2 ** 63, 'offset')).toThrow(/offset: number .* int64/);
    expect(() => validateValue(Schemas.INT64, 2n ** 63n)).toThrow(/int64/);
    expect(() => validateValue(SchemaBuilder.array(Schemas.INT8).build(), [1, 'x'], 'tags')).toThrow(/tags\[1\]/);
    expect(() => validateValue(Schemas.STRING, null, 'name')).toThrow(/name: a null value/);
    expect(() => validateValue(DateType.SCHEMA, 5)).toThrow(/needs a Date/);
    expect(() => validateValue(Schemas.INT64, -(2 ** 63))).not.toThrow();
  });
});
