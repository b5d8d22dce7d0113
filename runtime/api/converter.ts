/** Converters turn Connect values into the bytes of the log and back, as Kafka Connect's Converter. */
import type { ConfigSpec } from '../config/config-spec.js';
import type { SchemaAndValue } from '../data/schema-and-value.js';
import type { Schema } from '../data/schema.js';
import type { ConnectHeaders } from './headers.js';

export interface Converter {
  /** `isKey` says whether this instance converts keys; configs have the `key.converter.` prefix removed. */
  configure(configs: Record<string, string>, isKey: boolean): void;
  fromConnectData(topic: string, headers: ConnectHeaders | null, schema: Schema | null, value: unknown): Uint8Array | null;
  toConnectData(topic: string, headers: ConnectHeaders | null, bytes: Uint8Array | null): SchemaAndValue;
  config(): ConfigSpec;
}

export interface HeaderConverter {
  configure(configs: Record<string, string>): void;
  fromConnectHeader(topic: string, headerKey: string, schema: Schema | null, value: unknown): Uint8Array | null;
  toConnectHeader(topic: string, headerKey: string, bytes: Uint8Array | null): SchemaAndValue;
  config(): ConfigSpec;
}
