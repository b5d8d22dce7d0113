/** A structured value with a struct schema, as Kafka Connect's Struct. */
import { DataError } from '../api/errors.js';
import type { Field, Schema } from './schema.js';
import { valuesEqual } from './schema.js';
import type { StructSource } from './struct-source.js';
import { validateValue } from './validate.js';

const UNBUILT: unknown[] = [];

export class Struct {
  private values: unknown[];
  /** A deferred struct's source until its values are first read (then null, as for every other struct). */
  private pending: StructSource | null = null;

  /** `values` is fromValues' own (taken as they are); everyone else leaves it out. */
  constructor(readonly schema: Schema, values?: unknown[]) {
    if (schema.type !== 'struct') throw new DataError(`a Struct needs a struct schema, got ${schema.describe()}`);
    this.values = values ?? new Array(schema.fields().length).fill(null);
  }

  /**
   * A Struct over `values` in field order (null for unset), taken as they are: for builders whose
   * values fit the schema by construction, such as a CDC connector's per-row events, where a put
   * per field validating nested structs again cost more than building them. Converters still
   * check every value as they write it, so a misfit fails there with the field's path.
   */
  static fromValues(schema: Schema, values: unknown[]): Struct {
    const fields = schema.fields().length;
    if (values.length !== fields) throw new DataError(`${schema.describe()} has ${fields} fields, got ${values.length} values`);
    return new Struct(schema, values);
  }

  /**
   * A Struct whose values `source` builds when they are first read (any method below). Until then
   * a JsonConverter lets the source write the JSON itself (struct-source.ts).
   */
  static deferred(schema: Schema, source: StructSource): Struct {
    const s = new Struct(schema, UNBUILT);
    s.pending = source;
    return s;
  }

  /** A deferred struct's source while nothing has read its values; null otherwise. */
  get source(): StructSource | null {
    return this.pending;
  }

  private own(): unknown[] {
    const pending = this.pending;
    if (pending !== null) {
      // Built before the source is let go: a source that throws stays, and so does the error.
      const values = pending.values();
      const fields = this.schema.fields().length;
      if (values.length !== fields) throw new DataError(`${this.schema.describe()} has ${fields} fields, got ${values.length} values`);
      this.values = values;
      this.pending = null;
    }
    return this.values;
  }

  /** The value of the field at `index` in the schema's field order, as set (no default). */
  valueAt(index: number): unknown {
    return this.own()[index] ?? null;
  }

  /** The field's value, or its schema default when unset. */
  get(fieldName: string | Field): unknown {
    const field = this.lookup(fieldName);
    const v = this.own()[field.index];
    return v === null || v === undefined ? field.schema.defaultValue ?? null : v;
  }

  /** The field's value as set, without falling back to the default. */
  getWithoutDefault(fieldName: string): unknown {
    return this.own()[this.lookup(fieldName).index] ?? null;
  }

  /** Sets a field, checking the value against the field's schema. Returns this for chaining. */
  put(fieldName: string | Field, value: unknown): this {
    const field = this.lookup(fieldName);
    validateValue(field.schema, value, `field '${field.name}'`);
    this.own()[field.index] = value ?? null;
    return this;
  }

  /** Checks that every required field is set (or has a default) and valid. */
  validate(): void {
    validateValue(this.schema, this, 'struct');
  }

  equals(other: unknown): boolean {
    if (!(other instanceof Struct) || !this.schema.equals(other.schema)) return false;
    const theirs = other.own();
    return this.own().every((v, i) => valuesEqual(v, theirs[i]));
  }

  /** `Struct{a=1,b=x}` with unset fields left out, as Kafka's Struct.toString (StringConverter writes it). */
  toString(): string {
    const values = this.own();
    const parts = this.schema.fields().filter((f) => values[f.index] !== null).map((f) => `${f.name}=${String(values[f.index])}`);
    return `Struct{${parts.join(',')}}`;
  }

  private lookup(fieldName: string | Field): Field {
    if (typeof fieldName !== 'string') return fieldName;
    const field = this.schema.field(fieldName);
    if (!field) throw new DataError(`'${fieldName}' is not a field of ${this.schema.describe()}`);
    return field;
  }
}
