/**
 * SimpleHeaderConverter (org.apache.kafka.connect.storage.SimpleHeaderConverter), Kafka's default
 * header converter: values as their `Values` text in UTF-8, read back with the schema inferred
 * from the text.
 */
import type { HeaderConverter } from '../api/converter.js';
import { ConfigSpec } from '../config/config-spec.js';
import type { Schema } from '../data/schema.js';
import { SchemaAndValue } from '../data/schema-and-value.js';
import { utf8Text } from './java-text.js';
import { parseValuesString } from './values-parser.js';
import { valuesToString } from './values-text.js';

export const SIMPLE_HEADER_CONVERTER_CLASS = 'org.apache.kafka.connect.storage.SimpleHeaderConverter';

const STRING_CACHE_SIZE = 256;
const MAX_CACHED_LENGTH = 256;

export class SimpleHeaderConverter implements HeaderConverter {
  private readonly stringBytes = new Map<string, Buffer>();

  config(): ConfigSpec {
    return new ConfigSpec();
  }

  configure(): void {}

  fromConnectHeader(_topic: string, _headerKey: string, schema: Schema | null, value: unknown): Uint8Array | null {
    // A string is its own text. Header strings repeat record after record (a connector's context
    // headers on every event): their bytes are kept, not encoded again; readers copy, never change them.
    if (typeof value === 'string') {
      let bytes = this.stringBytes.get(value);
      if (!bytes) {
        if (this.stringBytes.size >= STRING_CACHE_SIZE) this.stringBytes.clear();
        bytes = Buffer.from(value, 'utf8');
        if (value.length <= MAX_CACHED_LENGTH) this.stringBytes.set(value, bytes);
      }
      return bytes;
    }
    const text = valuesToString(schema, value);
    return text === null ? null : Buffer.from(text, 'utf8');
  }

  toConnectHeader(_topic: string, _headerKey: string, bytes: Uint8Array | null): SchemaAndValue {
    if (bytes === null) return SchemaAndValue.NULL;
    return parseValuesString(utf8Text(bytes));
  }
}
