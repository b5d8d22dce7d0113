/**
 * Connect's logical types: a name and parameters on a primitive schema that say how to read it.
 * Each has a schema builder and the conversions between the logical value and the primitive one
 * that converters put on the wire.
 */
import { DataError } from '../api/errors.js';
import { BigDecimal, bigintToBytes, bytesToBigint } from './big-decimal.js';
import { Schema } from './schema.js';
import { SchemaBuilder } from './schema-builder.js';

const MS_PER_DAY = 86_400_000;

export const Decimal = {
  LOGICAL_NAME: 'org.apache.kafka.connect.data.Decimal',
  SCALE_FIELD: 'scale',
  builder(scale: number): SchemaBuilder {
    return SchemaBuilder.bytes().name(Decimal.LOGICAL_NAME).parameter(Decimal.SCALE_FIELD, String(scale)).version(1);
  },
  schema(scale: number): Schema {
    return Decimal.builder(scale).build();
  },
  scaleOf(schema: Schema): number {
    const raw = schema.parameters?.[Decimal.SCALE_FIELD];
    const scale = raw === undefined ? NaN : Number(raw);
    if (!Number.isInteger(scale)) throw new DataError(`decimal schema has no valid '${Decimal.SCALE_FIELD}' parameter`);
    return scale;
  },
  fromLogical(schema: Schema, value: BigDecimal): Uint8Array {
    const scale = Decimal.scaleOf(schema);
    if (value.scale !== scale) throw new DataError(`decimal ${value.toString()} has scale ${value.scale}, the schema says ${scale}`);
    return bigintToBytes(value.unscaled);
  },
  toLogical(schema: Schema, bytes: Uint8Array): BigDecimal {
    return new BigDecimal(bytesToBigint(bytes), Decimal.scaleOf(schema));
  },
};

/** A date without a time: days since the epoch on the wire, a Date at UTC midnight in memory. */
export const DateType = {
  LOGICAL_NAME: 'org.apache.kafka.connect.data.Date',
  builder(): SchemaBuilder {
    return SchemaBuilder.int32().name(DateType.LOGICAL_NAME).version(1);
  },
  SCHEMA: new Schema({ type: 'int32', name: 'org.apache.kafka.connect.data.Date', version: 1 }),
  fromLogical(value: Date): number {
    const ms = value.getTime();
    if (ms % MS_PER_DAY !== 0) throw new DataError(`Date ${value.toISOString()} has a time of day; a Connect Date must be midnight UTC`);
    return ms / MS_PER_DAY;
  },
  toLogical(days: number): Date {
    return new Date(days * MS_PER_DAY);
  },
};

/** A time of day: milliseconds since midnight on the wire, a Date on 1970-01-01 UTC in memory. */
export const TimeType = {
  LOGICAL_NAME: 'org.apache.kafka.connect.data.Time',
  builder(): SchemaBuilder {
    return SchemaBuilder.int32().name(TimeType.LOGICAL_NAME).version(1);
  },
  SCHEMA: new Schema({ type: 'int32', name: 'org.apache.kafka.connect.data.Time', version: 1 }),
  fromLogical(value: Date): number {
    const ms = value.getTime();
    if (ms < 0 || ms >= MS_PER_DAY) throw new DataError(`Time ${value.toISOString()} is not within the day 1970-01-01 UTC`);
    return ms;
  },
  toLogical(ms: number): Date {
    return new Date(ms);
  },
};

/** An instant: milliseconds since the epoch on the wire, a Date in memory. */
export const TimestampType = {
  LOGICAL_NAME: 'org.apache.kafka.connect.data.Timestamp',
  builder(): SchemaBuilder {
    return SchemaBuilder.int64().name(TimestampType.LOGICAL_NAME).version(1);
  },
  SCHEMA: new Schema({ type: 'int64', name: 'org.apache.kafka.connect.data.Timestamp', version: 1 }),
  fromLogical(value: Date): number {
    return value.getTime();
  },
  toLogical(ms: number | bigint): Date {
    return new Date(Number(ms));
  },
};

export const LOGICAL_NAMES = [Decimal.LOGICAL_NAME, DateType.LOGICAL_NAME, TimeType.LOGICAL_NAME, TimestampType.LOGICAL_NAME];

/** The wire (primitive) value of a logical value; other values pass through. */
export function fromLogical(schema: Schema, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  switch (schema.name) {
    case Decimal.LOGICAL_NAME:
      return Decimal.fromLogical(schema, asDecimal(value));
    case DateType.LOGICAL_NAME:
      return DateType.fromLogical(asDate(value, 'Date'));
    case TimeType.LOGICAL_NAME:
      return TimeType.fromLogical(asDate(value, 'Time'));
    case TimestampType.LOGICAL_NAME:
      return TimestampType.fromLogical(asDate(value, 'Timestamp'));
    default:
      return value;
  }
}

/** The logical value of a wire value; other values pass through. */
export function toLogical(schema: Schema, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  switch (schema.name) {
    case Decimal.LOGICAL_NAME:
      return Decimal.toLogical(schema, value as Uint8Array);
    case DateType.LOGICAL_NAME:
      return DateType.toLogical(value as number);
    case TimeType.LOGICAL_NAME:
      return TimeType.toLogical(value as number);
    case TimestampType.LOGICAL_NAME:
      return TimestampType.toLogical(value as number | bigint);
    default:
      return value;
  }
}

function asDecimal(value: unknown): BigDecimal {
  if (value instanceof BigDecimal) return value;
  throw new DataError(`a Decimal value must be a BigDecimal, got ${typeof value}`);
}

function asDate(value: unknown, what: string): Date {
  if (value instanceof Date) return value;
  throw new DataError(`a ${what} value must be a Date, got ${typeof value}`);
}
