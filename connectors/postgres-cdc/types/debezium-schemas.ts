/** Debezium's semantic types: the schema names, versions and parameters a downstream reader keys on. */
import { Decimal, SchemaBuilder, Schemas, Struct, bigintToBytes, type BigDecimal, type Schema } from '../../../runtime/api/index.js';

export const DebeziumNames = {
  DATE: 'io.debezium.time.Date',
  TIME: 'io.debezium.time.Time',
  MICRO_TIME: 'io.debezium.time.MicroTime',
  TIMESTAMP: 'io.debezium.time.Timestamp',
  MICRO_TIMESTAMP: 'io.debezium.time.MicroTimestamp',
  ZONED_TIMESTAMP: 'io.debezium.time.ZonedTimestamp',
  ZONED_TIME: 'io.debezium.time.ZonedTime',
  MICRO_DURATION: 'io.debezium.time.MicroDuration',
  INTERVAL: 'io.debezium.time.Interval',
  VARIABLE_SCALE_DECIMAL: 'io.debezium.data.VariableScaleDecimal',
  BITS: 'io.debezium.data.Bits',
  ENUM: 'io.debezium.data.Enum',
  JSON: 'io.debezium.data.Json',
  XML: 'io.debezium.data.Xml',
  UUID: 'io.debezium.data.Uuid',
  LTREE: 'io.debezium.data.Ltree',
  TSVECTOR: 'io.debezium.data.Tsvector',
  POINT: 'io.debezium.data.geometry.Point',
} as const;

/** Every Debezium semantic type so far is version 1. */
function named(builder: SchemaBuilder, name: string): SchemaBuilder {
  return builder.name(name).version(1);
}

export const DebeziumSchemas = {
  date: () => named(SchemaBuilder.int32(), DebeziumNames.DATE),
  time: () => named(SchemaBuilder.int32(), DebeziumNames.TIME),
  microTime: () => named(SchemaBuilder.int64(), DebeziumNames.MICRO_TIME),
  timestamp: () => named(SchemaBuilder.int64(), DebeziumNames.TIMESTAMP),
  microTimestamp: () => named(SchemaBuilder.int64(), DebeziumNames.MICRO_TIMESTAMP),
  zonedTimestamp: () => named(SchemaBuilder.string(), DebeziumNames.ZONED_TIMESTAMP),
  zonedTime: () => named(SchemaBuilder.string(), DebeziumNames.ZONED_TIME),
  microDuration: () => named(SchemaBuilder.int64(), DebeziumNames.MICRO_DURATION),
  interval: () => named(SchemaBuilder.string(), DebeziumNames.INTERVAL),
  json: () => named(SchemaBuilder.string(), DebeziumNames.JSON),
  xml: () => named(SchemaBuilder.string(), DebeziumNames.XML),
  uuid: () => named(SchemaBuilder.string(), DebeziumNames.UUID),
  ltree: () => named(SchemaBuilder.string(), DebeziumNames.LTREE),
  tsvector: () => named(SchemaBuilder.string(), DebeziumNames.TSVECTOR),
  enumOf: (allowed: readonly string[]) => named(SchemaBuilder.string(), DebeziumNames.ENUM).parameter('allowed', allowed.join(',')),
  bits: (length: number) => named(SchemaBuilder.bytes(), DebeziumNames.BITS).parameter('length', String(length)),
  /** Decimal with Debezium's precision parameter (numeric(p,s)). */
  decimal: (scale: number, precision?: number) => {
    const b = Decimal.builder(scale);
    return precision === undefined ? b : b.parameter('connect.decimal.precision', String(precision));
  },
  variableScaleDecimal: () =>
    named(SchemaBuilder.struct(), DebeziumNames.VARIABLE_SCALE_DECIMAL).doc('Variable scaled decimal')
      .field('scale', Schemas.INT32).field('value', Schemas.BYTES),
  point: () =>
    named(SchemaBuilder.struct(), DebeziumNames.POINT).doc('Geometry (POINT)')
      .field('x', Schemas.FLOAT64).field('y', Schemas.FLOAT64)
      .field('wkb', Schemas.OPTIONAL_BYTES).field('srid', Schemas.OPTIONAL_INT32),
};

/** A VariableScaleDecimal value: the scale and the unscaled two's complement bytes. */
export function variableScaleDecimalValue(schema: Schema, value: BigDecimal): Struct {
  return new Struct(schema).put('scale', value.scale).put('value', bigintToBytes(value.unscaled));
}

/** A Point value with its little-endian WKB, as Debezium builds it (srid unset). */
export function pointValue(schema: Schema, x: number, y: number): Struct {
  const wkb = Buffer.alloc(21);
  wkb.writeUInt8(1, 0);
  wkb.writeUInt32LE(1, 1);
  wkb.writeDoubleLE(x, 5);
  wkb.writeDoubleLE(y, 13);
  return new Struct(schema).put('x', x).put('y', y).put('wkb', new Uint8Array(wkb));
}
