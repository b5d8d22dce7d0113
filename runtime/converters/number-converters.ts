/**
 * Kafka's fixed-width converters (org.apache.kafka.connect.converters.*): Short, Integer, Long,
 * Float and Double as big-endian two's complement / IEEE 754 bytes, as Kafka's serializers write
 * them, and Boolean as one byte (1 or 0).
 */
import type { Converter, HeaderConverter } from '../api/converter.js';
import { DataError } from '../api/errors.js';
import type { ConnectHeaders } from '../api/headers.js';
import type { ConfigSpec } from '../config/config-spec.js';
import type { Schema } from '../data/schema.js';
import { Schemas } from '../data/schema-builder.js';
import { SchemaAndValue } from '../data/schema-and-value.js';
import { describeValue } from '../data/validate.js';
import { converterConfigSpec, withConverterType } from './converter-config.js';

interface FixedWidth {
  /** Kafka's name in messages: "short", "integer", ... */
  typeName: string;
  /** The Kafka deserializer named in size errors. */
  deserializer: string;
  size: number;
  schema: Schema;
  /** Writes the value, or returns false when it does not fit. */
  write(view: DataView, value: unknown): boolean;
  read(view: DataView): unknown;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function intIn(v: unknown, lo: number, hi: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi;
}

abstract class FixedWidthConverter implements Converter, HeaderConverter {
  protected abstract readonly format: FixedWidth;

  config(): ConfigSpec {
    return converterConfigSpec();
  }

  configure(configs: Record<string, string>, isKey?: boolean): void {
    this.config().parse(withConverterType(configs, isKey), `${this.constructor.name} config`);
  }

  fromConnectData(_topic: string, _headers: ConnectHeaders | null, schema: Schema | null, value: unknown): Uint8Array | null {
    this.checkSchema(schema);
    if (value === null || value === undefined) return null;
    const out = new Uint8Array(this.format.size);
    if (!this.format.write(new DataView(out.buffer), value)) {
      throw new DataError(`Failed to serialize to ${this.format.typeName} (was ${describeValue(value)})`);
    }
    return out;
  }

  toConnectData(_topic: string, _headers: ConnectHeaders | null, bytes: Uint8Array | null): SchemaAndValue {
    if (bytes === null) return new SchemaAndValue(this.format.schema, null);
    if (bytes.length !== this.format.size) {
      throw new DataError(`Failed to deserialize ${this.format.typeName}: Size of data received by ${this.format.deserializer} is not ${this.format.size}`);
    }
    return new SchemaAndValue(this.format.schema, this.format.read(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)));
  }

  fromConnectHeader(topic: string, _headerKey: string, schema: Schema | null, value: unknown): Uint8Array | null {
    return this.fromConnectData(topic, null, schema, value);
  }

  toConnectHeader(topic: string, _headerKey: string, bytes: Uint8Array | null): SchemaAndValue {
    return this.toConnectData(topic, null, bytes);
  }

  protected checkSchema(_schema: Schema | null): void {}
}

export class ShortConverter extends FixedWidthConverter {
  protected readonly format: FixedWidth = {
    typeName: 'short', deserializer: 'ShortDeserializer', size: 2, schema: Schemas.OPTIONAL_INT16,
    write: (view, v) => intIn(v, -32768, 32767) && (view.setInt16(0, v), true),
    read: (view) => view.getInt16(0),
  };
}

export class IntegerConverter extends FixedWidthConverter {
  protected readonly format: FixedWidth = {
    typeName: 'integer', deserializer: 'IntegerDeserializer', size: 4, schema: Schemas.OPTIONAL_INT32,
    write: (view, v) => intIn(v, -2147483648, 2147483647) && (view.setInt32(0, v), true),
    read: (view) => view.getInt32(0),
  };
}

export class LongConverter extends FixedWidthConverter {
  protected readonly format: FixedWidth = {
    typeName: 'long', deserializer: 'LongDeserializer', size: 8, schema: Schemas.OPTIONAL_INT64,
    write: (view, v) => {
      const b = typeof v === 'bigint' ? v : typeof v === 'number' && Number.isInteger(v) ? BigInt(v) : null;
      if (b === null || b < INT64_MIN || b > INT64_MAX) return false;
      view.setBigInt64(0, b);
      return true;
    },
    // int64 values are numbers unless they lie beyond 2^53, where only a bigint is exact.
    read: (view) => {
      const b = view.getBigInt64(0);
      return b >= BigInt(Number.MIN_SAFE_INTEGER) && b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b;
    },
  };
}

export class FloatConverter extends FixedWidthConverter {
  protected readonly format: FixedWidth = {
    typeName: 'float', deserializer: 'FloatDeserializer', size: 4, schema: Schemas.OPTIONAL_FLOAT32,
    write: (view, v) => typeof v === 'number' && (view.setFloat32(0, v), true),
    read: (view) => view.getFloat32(0),
  };
}

export class DoubleConverter extends FixedWidthConverter {
  protected readonly format: FixedWidth = {
    typeName: 'double', deserializer: 'DoubleDeserializer', size: 8, schema: Schemas.OPTIONAL_FLOAT64,
    write: (view, v) => typeof v === 'number' && (view.setFloat64(0, v), true),
    read: (view) => view.getFloat64(0),
  };
}

export class BooleanConverter extends FixedWidthConverter {
  protected readonly format: FixedWidth = {
    typeName: 'boolean', deserializer: 'BooleanDeserializer', size: 1, schema: Schemas.OPTIONAL_BOOLEAN,
    write: (view, v) => typeof v === 'boolean' && (view.setUint8(0, v ? 1 : 0), true),
    read: (view) => {
      const b = view.getUint8(0);
      if (b > 1) throw new DataError(`Failed to deserialize boolean: Unexpected byte received by BooleanDeserializer: ${b}`);
      return b === 1;
    },
  };

  protected override checkSchema(schema: Schema | null): void {
    if (schema !== null && schema.type !== 'boolean') throw new DataError(`Invalid schema type for BooleanConverter: ${schema.type}`);
  }
}
