/** A structured value with a struct schema, as Kafka Connect's Struct. */
import { DataError } from '../api/errors.js';
import type { Field, Schema } from './schema.js';
import { valuesEqual } from './schema.js';
import { validateValue } from './validate.js';

export class Struct {
  private values: unknown[];

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

  /** The value of the field at `index` in the schema's field order, as set (no default). */
  valueAt(index: number): unknown {
    return this.values[index] ?? null;
  }

  /** The field's value, or its schema default when unset. */
  get(fieldName: string | Field): unknown {
    const field = this.lookup(fieldName);
    const v = this.values[field.index];
    return v === null || v === undefined ? field.schema.defaultValue ?? null : v;
  }

  /** The field's value as set, without falling back to the default. */
  getWithoutDefault(fieldName: string): unknown {
    return this.values[this.lookup(fieldName).index] ?? null;
  }

  /** Sets a field, checking the value against the field's schema. Returns this for chaining. */
  put(fieldName: string | Field, value: unknown): this {
    const field = this.lookup(fieldName);
    validateValue(field.schema, value, `field '${field.name}'`);
    this.values[field.index] = value ?? null;
    return this;
  }

  /** Checks that every required field is set (or has a default) and valid. */
  validate(): void {
    validateValue(this.schema, this, 'struct');
  }

  equals(other: unknown): boolean {
    if (!(other instanceof Struct) || !this.schema.equals(other.schema)) return false;
    return this.values.every((v, i) => valuesEqual(v, other.values[i]));
  }

  /** `Struct{a=1,b=x}` with unset fields left out, as Kafka's Struct.toString (StringConverter writes it). */
  toString(): string {
    const parts = this.schema.fields().filter((f) => this.values[f.index] !== null).map((f) => `${f.name}=${String(this.values[f.index])}`);
    return `Struct{${parts.join(',')}}`;
  }

  private lookup(fieldName: string | Field): Field {
    if (typeof fieldName !== 'string') return fieldName;
    const field = this.schema.field(fieldName);
    if (!field) throw new DataError(`'${fieldName}' is not a field of ${this.schema.describe()}`);
    return field;
  }
}
