/**
 * Debezium's column mappers, from the connector config's pattern keys:
 *
 *   column.truncate.to.<N>.chars                       strings and bytes cut to N
 *   column.mask.with.<N>.chars                         character columns replaced by N '*'
 *   column.propagate.source.type                       the column's type, length, scale, name as schema parameters
 *   datatype.propagate.source.type                     the same, chosen by <schema>.<table>.<type name>
 *   column.mask.hash.<algorithm>.with.salt.<salt>      character columns hashed (v1: Java-serialized value)
 *   column.mask.hash.v2.<algorithm>.with.salt.<salt>   the same over the value's UTF-8 bytes
 *
 * Each value is a comma-separated list of regexes, matched whole and case-insensitively against
 * <schema>.<table>.<column>. As in Debezium, one rule applies to a column: the first that matches,
 * in the order above (so a column both truncated and propagated is only truncated). Rules change
 * the value's field (schema parameters and value); the key keeps the column as it is.
 */
import { ConfigError, SchemaBuilder, Struct, type Schema } from '../../runtime/api/index.js';
import { hashValue, nodeDigest, supportedDigests, type HashVersion } from './column-hash.js';
import { regexList } from './config.js';
import type { ColumnType } from './types/index.js';
import { isCharacterType, sourceLength, sourceScale } from './types/source-type.js';

/** A column as the rules see it. */
export interface MappedColumn {
  name: string;
  type: ColumnType;
  /** The driver's type name where it differs from the type's: serial, bigserial, smallserial. */
  sourceType?: string;
}

export interface ColumnMapping {
  /** The value field's schema: the column's own with this rule's parameters. */
  schema: Schema;
  /** Maps each converted value (null included); null when values pass unchanged. */
  map: ((value: unknown) => unknown) | null;
}

type Mapper =
  | { kind: 'truncate'; length: number }
  | { kind: 'mask'; mask: string }
  | { kind: 'propagate' }
  | { kind: 'hash'; digest: string; salt: Buffer; version: HashVersion };

interface Rule {
  key: string;
  patterns: RegExp[];
  /** Whether the rule is matched against <schema>.<table>.<type name> instead of the column name. */
  byDatatype: boolean;
  mapper: Mapper;
}

const KEY_FORMS: Array<{ re: RegExp; order: number; make(m: RegExpExecArray, key: string): Mapper; byDatatype?: boolean }> = [
  { re: /^column\.truncate\.to\.(\d+)\.chars$/, order: 0, make: (m, key) => ({ kind: 'truncate', length: count(m[1]!, key) }) },
  { re: /^column\.mask\.with\.(\d+)\.chars$/, order: 1, make: (m, key) => ({ kind: 'mask', mask: '*'.repeat(count(m[1]!, key)) }) },
  { re: /^column\.propagate\.source\.type$/, order: 2, make: () => ({ kind: 'propagate' }) },
  { re: /^datatype\.propagate\.source\.type$/, order: 3, make: () => ({ kind: 'propagate' }), byDatatype: true },
  { re: /^column\.mask\.hash\.v2\.([^.]+)\.with\.salt\.(.+)$/, order: 5, make: (m, key) => hash(m[1]!, m[2]!, 'v2', key) },
  { re: /^column\.mask\.hash\.([^.]+)\.with\.salt\.(.+)$/, order: 4, make: (m, key) => hash(m[1]!, m[2]!, 'v1', key) },
];

function count(digits: string, key: string): number {
  const n = Number(digits);
  if (!Number.isSafeInteger(n) || n > 2147483647) throw new ConfigError(`Invalid value in key ${key}: ${digits} is not a character count`);
  return n;
}

function hash(algorithm: string, salt: string, version: HashVersion, key: string): Mapper {
  const digest = nodeDigest(algorithm);
  if (!digest) throw new ConfigError(`Invalid hash algorithm '${algorithm}' in key ${key}: use one of ${supportedDigests().join(', ')}`);
  return { kind: 'hash', digest, salt: Buffer.from(salt, 'utf8'), version };
}

export class ColumnMappers {
  private constructor(private readonly rules: Rule[]) {}

  static readonly NONE = new ColumnMappers([]);

  /** The rules of a connector config; a ConfigError names the key of the first bad one. */
  static fromConfig(props: Record<string, string>): ColumnMappers {
    const found: Array<Rule & { order: number; seq: number }> = [];
    let seq = 0;
    for (const [key, value] of Object.entries(props)) {
      const form = KEY_FORMS.find((f) => f.re.test(key));
      if (!form) continue;
      const mapper = form.make(form.re.exec(key)!, key);
      const patterns = regexList(key, value ?? '');
      if (patterns.length > 0) found.push({ key, patterns, byDatatype: form.byDatatype ?? false, mapper, order: form.order, seq: seq++ });
    }
    found.sort((a, b) => a.order - b.order || a.seq - b.seq);
    return new ColumnMappers(found);
  }

  /** Each bad rule key with what is wrong, for the REST validate answer. */
  static problems(props: Record<string, string>): Array<{ key: string; message: string }> {
    const problems: Array<{ key: string; message: string }> = [];
    for (const [key, value] of Object.entries(props)) {
      if (!KEY_FORMS.some((f) => f.re.test(key))) continue;
      try {
        ColumnMappers.fromConfig({ [key]: value });
      } catch (e) {
        problems.push({ key, message: (e as Error).message });
      }
    }
    return problems;
  }

  get empty(): boolean {
    return this.rules.length === 0;
  }

  /** The mapping of a value column, or null when no rule matches it. */
  mappingFor(schema: string, table: string, column: MappedColumn, fieldSchema: Schema): ColumnMapping | null {
    const byName = `${schema}.${table}.${column.name}`;
    const byType = `${schema}.${table}.${column.sourceType ?? column.type.name}`;
    const rule = this.rules.find((r) => r.patterns.some((p) => p.test(r.byDatatype ? byType : byName)));
    return rule ? mapping(rule.mapper, column, fieldSchema) : null;
  }
}

function withParameters(schema: Schema, params: Record<string, string>): Schema {
  return SchemaBuilder.from(schema).parameters(params).build();
}

/**
 * The mapping with its parameters in the field schema. A struct value (VariableScaleDecimal) is
 * rebuilt on the new schema: a Struct is written only under the schema it was made with.
 */
function mapping(m: Mapper, column: MappedColumn, schema: Schema): ColumnMapping {
  const out = mapper(m, column, schema);
  if (out.schema === schema || schema.type !== 'struct') return out;
  const target = out.schema;
  const rebind = (v: unknown): unknown => {
    if (!(v instanceof Struct)) return v;
    const values = target.fields().map((_, i) => v.valueAt(i));
    return Struct.fromValues(target, values);
  };
  const inner = out.map;
  return { schema: target, map: inner ? (v) => rebind(inner(v)) : rebind };
}

function mapper(m: Mapper, column: MappedColumn, schema: Schema): ColumnMapping {
  const length = sourceLength(column.type);
  switch (m.kind) {
    case 'truncate': {
      if (!(length < 0 || length > m.length)) return { schema, map: null };
      const max = m.length;
      return {
        schema: withParameters(schema, { truncateLength: String(max) }),
        map: (v) => (typeof v === 'string' ? (v.length > max ? v.slice(0, max) : v) : v instanceof Uint8Array && v.length > max ? v.slice(0, max) : v),
      };
    }
    case 'mask': {
      const mask = m.mask;
      // Debezium masks every value of a character column, null included.
      return { schema: withParameters(schema, { masked: 'true' }), map: isCharacterType(column.type) ? () => mask : null };
    }
    case 'hash': {
      const { digest, salt, version } = m;
      const cut = length > 0 ? length : Infinity;
      const map = (v: unknown) => (typeof v === 'string' ? hashValue(digest, salt, version, v).slice(0, cut) : v);
      return { schema: withParameters(schema, { masked: 'true' }), map: isCharacterType(column.type) ? map : null };
    }
    case 'propagate':
      return {
        schema: withParameters(schema, {
          '__debezium.source.column.type': (column.sourceType ?? column.type.name).toUpperCase(),
          '__debezium.source.column.length': String(length),
          '__debezium.source.column.scale': String(sourceScale(column.type)),
          '__debezium.source.column.name': column.name,
        }),
        map: null,
      };
  }
}
