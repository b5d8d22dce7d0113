/** A fluent builder for schemas, shaped like Kafka Connect's SchemaBuilder. */
import { DataError } from '../api/errors.js';
import { Schema, type SchemaType } from './schema.js';
import { validateValue } from './validate.js';

export class SchemaBuilder {
  private isOptional = false;
  private defaultVal: unknown = null;
  private schemaName: string | null = null;
  private schemaVersion: number | null = null;
  private schemaDoc: string | null = null;
  private params: Record<string, string> | null = null;
  private readonly fieldList: Array<{ name: string; schema: Schema }> = [];

  constructor(
    readonly type: SchemaType,
    private readonly keySchema: Schema | null = null,
    private readonly valueSchema: Schema | null = null,
  ) {}

  static int8(): SchemaBuilder { return new SchemaBuilder('int8'); }
  static int16(): SchemaBuilder { return new SchemaBuilder('int16'); }
  static int32(): SchemaBuilder { return new SchemaBuilder('int32'); }
  static int64(): SchemaBuilder { return new SchemaBuilder('int64'); }
  static float32(): SchemaBuilder { return new SchemaBuilder('float32'); }
  static float64(): SchemaBuilder { return new SchemaBuilder('float64'); }
  static bool(): SchemaBuilder { return new SchemaBuilder('boolean'); }
  static string(): SchemaBuilder { return new SchemaBuilder('string'); }
  static bytes(): SchemaBuilder { return new SchemaBuilder('bytes'); }
  static struct(): SchemaBuilder { return new SchemaBuilder('struct'); }
  static array(valueSchema: Schema): SchemaBuilder { return new SchemaBuilder('array', null, valueSchema); }
  static map(keySchema: Schema, valueSchema: Schema): SchemaBuilder { return new SchemaBuilder('map', keySchema, valueSchema); }
  static type(type: SchemaType): SchemaBuilder { return new SchemaBuilder(type); }

  /** A builder that starts as a copy of `schema` (fields included), for transforms that edit schemas. */
  static from(schema: Schema): SchemaBuilder {
    const b = new SchemaBuilder(schema.type, schema.keySchema, schema.valueSchema);
    b.isOptional = schema.optional;
    b.defaultVal = schema.defaultValue;
    b.schemaName = schema.name;
    b.schemaVersion = schema.version;
    b.schemaDoc = schema.doc;
    b.params = schema.parameters ? { ...schema.parameters } : null;
    if (schema.type === 'struct') for (const f of schema.fields()) b.fieldList.push({ name: f.name, schema: f.schema });
    return b;
  }

  optional(): this { this.isOptional = true; return this; }
  required(): this { this.isOptional = false; return this; }
  name(name: string | null): this { this.schemaName = name; return this; }
  version(version: number | null): this { this.schemaVersion = version; return this; }
  doc(doc: string | null): this { this.schemaDoc = doc; return this; }

  parameter(key: string, value: string): this {
    this.params = { ...(this.params ?? {}), [key]: value };
    return this;
  }

  parameters(params: Record<string, string>): this {
    this.params = { ...(this.params ?? {}), ...params };
    return this;
  }

  defaultValue(value: unknown): this {
    // Checked against a schema without the default, so the error names the real problem.
    validateValue(new Schema({ type: this.type, name: this.schemaName, parameters: this.params, fields: this.fieldList, keySchema: this.keySchema, valueSchema: this.valueSchema }), value, 'default value');
    this.defaultVal = value;
    return this;
  }

  field(name: string, schema: Schema): this {
    if (this.type !== 'struct') throw new DataError(`cannot add field '${name}' to a non-struct ${this.type} schema`);
    if (!name) throw new DataError('a field name cannot be empty');
    if (this.fieldList.some((f) => f.name === name)) throw new DataError(`cannot add field '${name}' twice`);
    this.fieldList.push({ name, schema });
    return this;
  }

  build(): Schema {
    return new Schema({
      type: this.type,
      optional: this.isOptional,
      defaultValue: this.defaultVal,
      name: this.schemaName,
      version: this.schemaVersion,
      doc: this.schemaDoc,
      parameters: this.params,
      fields: this.fieldList,
      keySchema: this.keySchema,
      valueSchema: this.valueSchema,
    });
  }
}

/** The ready-made schemas Kafka Connect has as constants on Schema. */
export const Schemas = {
  INT8: new Schema({ type: 'int8' }),
  INT16: new Schema({ type: 'int16' }),
  INT32: new Schema({ type: 'int32' }),
  INT64: new Schema({ type: 'int64' }),
  FLOAT32: new Schema({ type: 'float32' }),
  FLOAT64: new Schema({ type: 'float64' }),
  BOOLEAN: new Schema({ type: 'boolean' }),
  STRING: new Schema({ type: 'string' }),
  BYTES: new Schema({ type: 'bytes' }),
  OPTIONAL_INT8: new Schema({ type: 'int8', optional: true }),
  OPTIONAL_INT16: new Schema({ type: 'int16', optional: true }),
  OPTIONAL_INT32: new Schema({ type: 'int32', optional: true }),
  OPTIONAL_INT64: new Schema({ type: 'int64', optional: true }),
  OPTIONAL_FLOAT32: new Schema({ type: 'float32', optional: true }),
  OPTIONAL_FLOAT64: new Schema({ type: 'float64', optional: true }),
  OPTIONAL_BOOLEAN: new Schema({ type: 'boolean', optional: true }),
  OPTIONAL_STRING: new Schema({ type: 'string', optional: true }),
  OPTIONAL_BYTES: new Schema({ type: 'bytes', optional: true }),
} as const;
