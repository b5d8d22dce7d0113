/**
 * A column's length and scale as Debezium's Postgres connector knows them: the JDBC driver's
 * precision, scale and display size of the type and typmod (pgjdbc's TypeInfoCache), chosen the way
 * Debezium reads a pgoutput relation. Column mappers use them: `column.truncate.to.N.chars` acts
 * only where the length exceeds N, a hash mask is cut to the length, and
 * `column.propagate.source.type` reports both.
 */
import type { ColumnType } from './column-type.js';

/** JDBC's "unknown length" (pgjdbc's default): text, bytea, json, uuid, varchar without a limit. */
const UNKNOWN_LENGTH = 2147483647;

const OID = {
  BOOL: 16, BYTEA: 17, CHAR: 18, INT8: 20, INT2: 21, INT4: 23, TEXT: 25, OIDT: 26,
  FLOAT4: 700, FLOAT8: 701, BPCHAR: 1042, VARCHAR: 1043, DATE: 1082, TIME: 1083,
  TIMESTAMP: 1114, TIMESTAMPTZ: 1184, INTERVAL: 1186, TIMETZ: 1266, BIT: 1560, VARBIT: 1562, NUMERIC: 1700,
} as const;

/** Arrays report their element type's figures. */
function baseOid(col: ColumnType): number {
  return col.elementOid ?? col.oid;
}

function displaySize(oid: number, typmod: number): number {
  switch (oid) {
    case OID.INT2: return 6;
    case OID.INT4: return 11;
    case OID.OIDT: return 10;
    case OID.INT8: return 20;
    case OID.FLOAT4: return 15;
    case OID.FLOAT8: return 25;
    case OID.CHAR: case OID.BOOL: return 1;
    case OID.DATE: return 13;
    case OID.TIME: case OID.TIMETZ: case OID.TIMESTAMP: case OID.TIMESTAMPTZ: {
      // Fraction digits and the point; time(1) prints two digits.
      const second = typmod === -1 ? 7 : typmod === 0 ? 0 : typmod === 1 ? 3 : typmod + 1;
      if (oid === OID.TIME) return 8 + second;
      if (oid === OID.TIMETZ) return 8 + second + 6;
      if (oid === OID.TIMESTAMP) return 22 + second;
      return 22 + second + 6;
    }
    case OID.INTERVAL: return 49;
    case OID.VARCHAR: case OID.BPCHAR: return typmod === -1 ? UNKNOWN_LENGTH : typmod - 4;
    case OID.NUMERIC: {
      // The digits of pow(10::numeric, 131071), with its sign.
      if (typmod === -1) return 131089;
      const precision = ((typmod - 4) >> 16) & 0xffff;
      const scale = (typmod - 4) & 0xffff;
      return 1 + precision + (scale !== 0 ? 1 : 0);
    }
    case OID.BIT: return typmod;
    case OID.VARBIT: return typmod === -1 ? UNKNOWN_LENGTH : typmod;
    default: return UNKNOWN_LENGTH;
  }
}

function precision(oid: number, typmod: number): number {
  switch (oid) {
    case OID.INT2: return 5;
    case OID.OIDT: case OID.INT4: return 10;
    case OID.INT8: return 19;
    case OID.FLOAT4: return 8;
    case OID.FLOAT8: return 17;
    case OID.NUMERIC: return typmod === -1 ? 0 : ((typmod - 4) & 0xffff0000) >> 16;
    case OID.CHAR: case OID.BOOL: return 1;
    case OID.BPCHAR: case OID.VARCHAR: return typmod === -1 ? UNKNOWN_LENGTH : typmod - 4;
    case OID.DATE: case OID.TIME: case OID.TIMETZ: case OID.INTERVAL: case OID.TIMESTAMP: case OID.TIMESTAMPTZ:
      return displaySize(oid, typmod);
    case OID.BIT: return typmod;
    case OID.VARBIT: return typmod === -1 ? UNKNOWN_LENGTH : typmod;
    default: return UNKNOWN_LENGTH;
  }
}

function scaleOf(oid: number, typmod: number): number {
  switch (oid) {
    case OID.FLOAT4: return 8;
    case OID.FLOAT8: return 17;
    case OID.NUMERIC: return typmod === -1 ? 0 : (typmod - 4) & 0xffff;
    case OID.TIME: case OID.TIMETZ: case OID.TIMESTAMP: case OID.TIMESTAMPTZ: return typmod === -1 ? 6 : typmod;
    case OID.INTERVAL: return typmod === -1 ? 6 : typmod & 0xffff;
    default: return 0;
  }
}

/**
 * Length of the column: the precision for its typmod; without a typmod, the type's precision, or
 * its display size where the precision is 0 (numeric without one: 131089).
 */
export function sourceLength(col: ColumnType): number {
  const oid = baseOid(col);
  const p = precision(oid, col.typeMod);
  return p === 0 && col.typeMod === -1 ? displaySize(oid, -1) : p;
}

export function sourceScale(col: ColumnType): number {
  return scaleOf(baseOid(col), col.typeMod);
}

/** Types the JDBC driver reports as CHAR or VARCHAR: the ones Debezium's masks and hashes apply to. */
export function isCharacterType(col: ColumnType): boolean {
  if (col.elementOid !== undefined) return false;
  return col.oid === OID.TEXT || col.oid === OID.VARCHAR || col.oid === OID.BPCHAR || col.oid === OID.CHAR || col.name === 'name';
}
