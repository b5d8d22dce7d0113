/** ByteArrayConverter (org.apache.kafka.connect.converters.ByteArrayConverter): bytes pass through untouched. */
import type { Converter, HeaderConverter } from '../api/converter.js';
import { DataError } from '../api/errors.js';
import type { ConnectHeaders } from '../api/headers.js';
import type { ConfigSpec } from '../config/config-spec.js';
import type { Schema } from '../data/schema.js';
import { Schemas } from '../data/schema-builder.js';
import { SchemaAndValue } from '../data/schema-and-value.js';
import { describeValue } from '../data/validate.js';
import { converterConfigSpec } from './converter-config.js';

export const BYTE_ARRAY_CONVERTER_CLASS = 'org.apache.kafka.connect.converters.ByteArrayConverter';

export class ByteArrayConverter implements Converter, HeaderConverter {
  config(): ConfigSpec {
    return converterConfigSpec();
  }

  configure(configs: Record<string, string>): void {
    this.config().parse(configs, 'ByteArrayConverter config');
  }

  fromConnectData(_topic: string, _headers: ConnectHeaders | null, schema: Schema | null, value: unknown): Uint8Array | null {
    if (schema !== null && schema.type !== 'bytes') throw new DataError(`Invalid schema type for ByteArrayConverter: ${schema.type}`);
    if (value === null || value === undefined) return null;
    if (!(value instanceof Uint8Array)) throw new DataError(`ByteArrayConverter is not compatible with objects of type ${describeValue(value)}`);
    return value;
  }

  toConnectData(_topic: string, _headers: ConnectHeaders | null, bytes: Uint8Array | null): SchemaAndValue {
    return new SchemaAndValue(Schemas.OPTIONAL_BYTES, bytes);
  }

  fromConnectHeader(topic: string, _headerKey: string, schema: Schema | null, value: unknown): Uint8Array | null {
    return this.fromConnectData(topic, null, schema, value);
  }

  toConnectHeader(topic: string, _headerKey: string, bytes: Uint8Array | null): SchemaAndValue {
    return this.toConnectData(topic, null, bytes);
  }
}
