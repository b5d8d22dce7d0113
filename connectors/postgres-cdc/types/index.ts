/**
 * Postgres column type -> Connect schema and value, as Debezium's Postgres connector maps them.
 * `columnConverter` is the fast path (build once per column, convert every row); `columnSchema`
 * and `columnValue` are the one-off forms.
 */
import { SchemaBuilder, Struct, type Schema } from '../../../runtime/api/index.js';
import type { ColumnType, TypeModes } from './column-type.js';
import { defaultValueText } from './default-value.js';
import { handlerFor, typeSupport, type Placeholder, type TypeHandler } from './handlers.js';

export { DEFAULT_TYPE_MODES, numericPrecisionScale, temporalPrecision, type ColumnType, type TypeModes } from './column-type.js';
export { DebeziumNames, DebeziumSchemas } from './debezium-schemas.js';
export { parseArrayLiteral } from './array-literal.js';
export { typeSupport, type TypeSupport } from './handlers.js';

export interface ColumnConverter {
  readonly schema: Schema;
  /** The value of the column's text; null text gives null, or Debezium's fallback for a required column. Never throws. */
  convert(text: string | null): unknown;
  /** What an unchanged TOAST value becomes (unavailable.value.placeholder in the column's shape). */
  placeholder(): unknown;
}

export function columnConverter(col: ColumnType, modes: TypeModes): ColumnConverter {
  const handler = handlerFor(col, modes);
  const builder = handler.schema();
  if (col.optional) builder.optional();
  const schema = withDefault(builder.build(), col, handler);
  const fallback = (): unknown => (col.optional ? null : handler.fallback(schema));
  const placeholder: Placeholder = { text: modes.unavailablePlaceholder, bytes: new Uint8Array(Buffer.from(modes.unavailablePlaceholder, 'utf8')) };
  return {
    schema,
    convert(text) {
      if (text === null) return fallback();
      try {
        return handler.parse(text, schema);
      } catch {
        // Text Postgres sent that we cannot read (a locale-specific money, an exotic style) must not stop the stream.
        return fallback();
      }
    },
    placeholder() {
      if (handler.placeholder) return handler.placeholder(placeholder, schema);
      if (schema.type === 'string') return placeholder.text;
      if (schema.type === 'bytes' && !schema.name) return placeholder.bytes;
      return fallback();
    },
  };
}

/**
 * The schema with the column's default as Debezium computes it (types/default-value.ts): the
 * default's text read as a value of the column would be. A struct value (VariableScaleDecimal) is
 * left out as Debezium leaves it out (KAFKA-12694), and so is one that does not parse.
 */
function withDefault(schema: Schema, col: ColumnType, handler: TypeHandler): Schema {
  if (col.defaultExpression === undefined) return schema;
  const text = defaultValueText(col, col.defaultExpression);
  if (text === null) return schema;
  try {
    const value = handler.parse(text, schema);
    if (value === null || value === undefined || value instanceof Struct) return schema;
    return SchemaBuilder.from(schema).defaultValue(value).build();
  } catch {
    return schema;
  }
}

/** Debezium's schema of the column (name, version, parameters; optional when the column is). */
export function columnSchema(col: ColumnType, modes: TypeModes): Schema {
  return columnConverter(col, modes).schema;
}

/** The Connect value of the column's text as pgoutput and COPY/SELECT text output send it. */
export function columnValue(col: ColumnType, text: string | null, modes: TypeModes): unknown {
  return columnConverter(col, modes).convert(text);
}

/** Whether Debezium includes a column of this type: unknown types only with include.unknown.datatypes, unsupported never. */
export function includesColumn(col: ColumnType, includeUnknownDatatypes: boolean): boolean {
  const support = typeSupport(col);
  return support === 'known' || (support === 'unknown' && includeUnknownDatatypes);
}
