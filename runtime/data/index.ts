/** The Connect data model. Part of the plugin SDK: re-exported by runtime/api. Imports nothing else of the runtime. */
export { Schema, Field, schemaEquals, valuesEqual, isPrimitive, PRIMITIVE_TYPES, type SchemaType, type SchemaProps } from './schema.js';
export { SchemaBuilder, Schemas } from './schema-builder.js';
export { Struct } from './struct.js';
export type { StructSource, JsonDialect, JsonBytesOut, JsonValueWriter } from './struct-source.js';
export { BigDecimal, bigintToBytes, bytesToBigint } from './big-decimal.js';
export { Decimal, DateType, TimeType, TimestampType, LOGICAL_NAMES, fromLogical, toLogical } from './logical.js';
export { validateValue, mapEntries, isPlainObject, describeValue } from './validate.js';
export { SchemaAndValue, inferSchema } from './schema-and-value.js';
