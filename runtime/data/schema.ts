/**
 * The Connect schema: the type of a key, value or header, as Kafka Connect's `Schema`.
 *
 * Values by type, as connectors and transforms see them:
 *   int8/int16/int32, float32/float64: number;  int64: number, or bigint beyond 2^53
 *   boolean: boolean;  string: string;  bytes: Uint8Array (Buffer is one)
 *   array: unknown[];  map: Map<unknown, unknown> (a plain object is accepted for string keys)
 *   struct: Struct
 * Logical types (Decimal, Date, Time, Timestamp) ride on these; see logical.ts.
 */
import { DataError } from '../api/errors.js';

export type SchemaType =
  | 'int8'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'float32'
  | 'float64'
  | 'boolean'
  | 'string'
  | 'bytes'
  | 'array'
  | 'map'
  | 'struct';

export const PRIMITIVE_TYPES: readonly SchemaType[] = [
  'int8', 'int16', 'int32', 'int64', 'float32', 'float64', 'boolean', 'string', 'bytes',
];

export function isPrimitive(type: SchemaType): boolean {
  return PRIMITIVE_TYPES.includes(type);
}

export class Field {
  constructor(
    readonly name: string,
    readonly index: number,
    readonly schema: Schema,
  ) {}
}

export interface SchemaProps {
  type: SchemaType;
  optional?: boolean;
  defaultValue?: unknown;
  name?: string | null;
  version?: number | null;
  doc?: string | null;
  parameters?: Record<string, string> | null;
  fields?: Array<{ name: string; schema: Schema }>;
  keySchema?: Schema | null;
  valueSchema?: Schema | null;
}

/** An immutable schema. Build one with SchemaBuilder or the constants on `Schemas`. */
export class Schema {
  readonly type: SchemaType;
  readonly optional: boolean;
  readonly defaultValue: unknown;
  readonly name: string | null;
  readonly version: number | null;
  readonly doc: string | null;
  readonly parameters: Readonly<Record<string, string>> | null;
  readonly keySchema: Schema | null;
  readonly valueSchema: Schema | null;
  private readonly fieldList: readonly Field[] | null;
  private readonly fieldsByName: ReadonlyMap<string, Field> | null;

  constructor(props: SchemaProps) {
    this.type = props.type;
    this.optional = props.optional ?? false;
    this.defaultValue = props.defaultValue ?? null;
    this.name = props.name ?? null;
    this.version = props.version ?? null;
    this.doc = props.doc ?? null;
    this.parameters = props.parameters ? { ...props.parameters } : null;
    this.keySchema = props.keySchema ?? null;
    this.valueSchema = props.valueSchema ?? null;
    if (props.type === 'struct') {
      const list = (props.fields ?? []).map((f, i) => new Field(f.name, i, f.schema));
      this.fieldList = list;
      this.fieldsByName = new Map(list.map((f) => [f.name, f]));
    } else {
      this.fieldList = null;
      this.fieldsByName = null;
    }
    if (props.type === 'map' && (!this.keySchema || !this.valueSchema)) {
      throw new DataError('a map schema needs a key schema and a value schema');
    }
    if (props.type === 'array' && !this.valueSchema) {
      throw new DataError('an array schema needs a value schema');
    }
  }

  /** The fields of a struct schema, in order. */
  fields(): readonly Field[] {
    if (!this.fieldList) throw new DataError(`cannot list fields of a non-struct ${this.describe()} schema`);
    return this.fieldList;
  }

  /** The field of this name, or null. */
  field(name: string): Field | null {
    if (!this.fieldsByName) throw new DataError(`cannot look up field '${name}' on a non-struct ${this.describe()} schema`);
    return this.fieldsByName.get(name) ?? null;
  }

  /** A short text for error messages: `struct com.example.Row` or `int32`. */
  describe(): string {
    return this.name ? `${this.type} ${this.name}` : this.type;
  }

  equals(other: Schema | null | undefined): boolean {
    return schemaEquals(this, other ?? null);
  }
}

export function schemaEquals(a: Schema | null, b: Schema | null): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  if (
    a.type !== b.type ||
    a.optional !== b.optional ||
    a.name !== b.name ||
    a.version !== b.version ||
    a.doc !== b.doc ||
    !valuesEqual(a.defaultValue, b.defaultValue) ||
    !recordsEqual(a.parameters, b.parameters)
  ) {
    return false;
  }
  switch (a.type) {
    case 'struct': {
      const fa = a.fields();
      const fb = b.fields();
      return fa.length === fb.length && fa.every((f, i) => f.name === fb[i]!.name && schemaEquals(f.schema, fb[i]!.schema));
    }
    case 'array':
      return schemaEquals(a.valueSchema, b.valueSchema);
    case 'map':
      return schemaEquals(a.keySchema, b.keySchema) && schemaEquals(a.valueSchema, b.valueSchema);
    default:
      return true;
  }
}

function recordsEqual(a: Readonly<Record<string, string>> | null, b: Readonly<Record<string, string>> | null): boolean {
  if (a === b) return true;
  const ka = a ? Object.keys(a) : [];
  const kb = b ? Object.keys(b) : [];
  return ka.length === kb.length && ka.every((k) => a![k] === b?.[k]);
}

/** Deep equality of Connect values (bytes by content, structs by schema and fields, maps by entries). */
export function valuesEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined) return a == b;
  if (typeof a === 'bigint' || typeof b === 'bigint') {
    const integral = (v: unknown): v is bigint | number => typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v));
    return integral(a) && integral(b) && BigInt(a) === BigInt(b);
  }
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) && Number.isNaN(b);
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    return a.length === b.length && a.every((v, i) => v === b[i]);
  }
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => valuesEqual(v, b[i]));
  const eq = (a as { equals?: (o: unknown) => boolean }).equals;
  if (typeof eq === 'function') return eq.call(a, b);
  if (a instanceof Map && b instanceof Map) {
    if (a.size !== b.size) return false;
    for (const [k, v] of a) {
      if (!b.has(k) || !valuesEqual(v, b.get(k))) return false;
    }
    return true;
  }
  if (Object.getPrototypeOf(a) === Object.prototype && Object.getPrototypeOf(b) === Object.prototype) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => valuesEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return false;
}
