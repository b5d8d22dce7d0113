/** What the type mapping needs to know about a column, and the connector settings that change it. */

export interface ColumnType {
  /** The Postgres type name (`pg_type.typname`): `int4`, `numeric`, `timestamptz`, `_int4`, `my_enum`. */
  name: string;
  oid: number;
  /** `atttypmod`: -1 when the column has none. */
  typeMod: number;
  optional: boolean;
  /** For arrays: the element type's oid. */
  elementOid?: number;
  /** For enums (and arrays of enums): the labels in sort order. */
  enumValues?: string[];
  /** The column's default expression (`pg_get_expr` of pg_attrdef), for the field schema's default. */
  defaultExpression?: string;
}

export interface TypeModes {
  /** decimal.handling.mode */
  decimal: 'precise' | 'double' | 'string';
  /** time.precision.mode */
  time: 'adaptive' | 'adaptive_time_microseconds' | 'connect';
  /** binary.handling.mode */
  binary: 'bytes' | 'base64' | 'base64-url-safe' | 'hex';
  /** unavailable.value.placeholder */
  unavailablePlaceholder: string;
  /** interval.handling.mode (default numeric) */
  interval?: 'numeric' | 'string';
  /** hstore.handling.mode (default json) */
  hstore?: 'json' | 'map';
  /** money.fraction.digits (default 2) */
  moneyFractionDigits?: number;
}

/** Debezium's defaults for each mode. */
export const DEFAULT_TYPE_MODES: TypeModes = {
  decimal: 'precise',
  time: 'adaptive',
  binary: 'bytes',
  unavailablePlaceholder: '__debezium_unavailable_value',
  interval: 'numeric',
  hstore: 'json',
  moneyFractionDigits: 2,
};

/** numeric(p,s) from the typmod; null for a numeric without one. */
export function numericPrecisionScale(typeMod: number): { precision: number; scale: number } | null {
  if (typeMod < 4) return null;
  const v = typeMod - 4;
  return { precision: (v >> 16) & 0xffff, scale: v & 0xffff };
}

/** Fractional second digits of time/timestamp types: the typmod, 6 when there is none. */
export function temporalPrecision(typeMod: number): number {
  return typeMod < 0 ? 6 : typeMod;
}
