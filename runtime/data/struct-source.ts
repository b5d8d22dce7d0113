/**
 * What a deferred Struct (`Struct.deferred`) is made from. A connector whose values start as text
 * (a CDC tuple) hands over its source instead of the built struct: the values are built only when
 * something reads them (a transform, a converter other than JSON), and a JsonConverter asks the
 * source to write the struct's JSON itself first. Building the nested structs of a CDC event and
 * then walking them again to write them was ~20% of a streamed change's main-thread time.
 */
import type { Schema } from './schema.js';

/** Where JSON bytes go: the converter's output for the record being written. */
export interface JsonBytesOut {
  bytes(b: Uint8Array): void;
}

/** Writes a value of one schema into the converter's output, as that converter writes it. */
export type JsonValueWriter = (value: unknown, out: JsonBytesOut) => void;

/**
 * The writing rules of the converter asking (its decimal.format, replace.null.with.default, its
 * field name quoting). Pieces a source writes with are its own, so the bytes are the converter's.
 */
export interface JsonDialect {
  /** A writer for values of `schema`: what the converter writes for a field of that schema. */
  valueWriter(schema: Schema): JsonValueWriter;
  /** For each field of a struct schema, the bytes before its value: `{"name":` first, then `,"name":`. */
  fieldPrefixes(schema: Schema): Uint8Array[];
  /** A value's JSON as bytes, for a part that is the same in every record. */
  render(schema: Schema, value: unknown): Uint8Array;
}

export interface StructSource {
  /**
   * The struct's values in field order (null for unset): called when it is first read (and, under
   * TSCONNECT_CHECK_DEFERRED_JSON, to compare), so it must give the same values each time.
   */
  values(): unknown[];
  /**
   * Writes the JSON a JsonConverter with `dialect` writes for the built struct, byte for byte; or
   * returns false before writing anything. A source that throws part way is written from its
   * values instead (the converter drops what it wrote), so errors name the field as always.
   */
  writeJson?(out: JsonBytesOut, dialect: JsonDialect): boolean;
}
