/**
 * Flatten$Key / Flatten$Value: nested Structs (or maps) become top-level fields named by joining
 * the path with `delimiter`, e.g. `address.city`. Fields under an optional struct become optional.
 */
import { ConfigSpec, DataError, SchemaBuilder, Struct, isPlainObject, type AnyRecord, type Schema, type Transformation } from '../api/index.js';
import { inferType } from './cast-values.js';
import { SchemaCache, copySchemaBasics, operatingSchema, operatingValue, parseConfig, requireMapOrNull, requireStructOrNull, typeName, variantName, withOperating, type Side } from './support.js';

const PURPOSE = 'flattening';

export const FLATTEN_CONFIG = new ConfigSpec().define({
  name: 'delimiter',
  type: 'string',
  default: '.',
  importance: 'medium',
  doc: 'Delimiter to insert between field names from the input record when generating field names for the output record',
});

export class Flatten implements Transformation {
  private delimiter = '.';
  private readonly cache = new SchemaCache();

  constructor(private readonly side: Side) {}

  configure(configs: Record<string, string>): void {
    // Read raw: ConfigSpec trims strings, and a delimiter may be a space.
    parseConfig(FLATTEN_CONFIG, configs, variantName('Flatten', this.side));
    this.delimiter = configs.delimiter ?? '.';
    this.cache.clear();
  }

  apply<R extends AnyRecord>(record: R): R | null {
    const schema = operatingSchema(record, this.side);
    const value = operatingValue(record, this.side);
    if (!schema) {
      const map = requireMapOrNull(value, PURPOSE);
      if (map === null) return withOperating(record, this.side, null, null);
      const out: Record<string, unknown> = {};
      this.flattenMap(map, '', out);
      return withOperating(record, this.side, null, out);
    }
    const struct = requireStructOrNull(value, PURPOSE);
    const updatedSchema = this.cache.getOrBuild(schema, (s) => this.buildSchema(s));
    if (struct === null) return withOperating(record, this.side, updatedSchema, null);
    const out = new Struct(updatedSchema);
    this.flattenStruct(struct, '', out);
    return withOperating(record, this.side, updatedSchema, out);
  }

  private name(prefix: string, field: string): string {
    return prefix === '' ? field : `${prefix}${this.delimiter}${field}`;
  }

  private flattenMap(map: Record<string, unknown>, prefix: string, out: Record<string, unknown>): void {
    for (const [key, v] of Object.entries(map)) {
      const name = this.name(prefix, key);
      if (v === null || v === undefined) {
        out[name] = null;
        continue;
      }
      const type = inferType(v);
      if (type === null) throw new DataError(`Flatten transformation was passed a value of type ${typeName(v)} which is not supported by Connect's data API`);
      if (type === 'map') this.flattenMap(isPlainObject(v) ? v : Object.fromEntries(v as Map<string, unknown>), name, out);
      else if (type === 'struct') throw new DataError(`Flatten transformation does not support STRUCT for record without schemas (for field ${name}).`);
      else out[name] = v;
    }
  }

  private buildSchema(schema: Schema): Schema {
    if (schema.type !== 'struct') throw new DataError(`Only Struct objects supported for [${PURPOSE}], found: ${schema.describe()}`);
    const builder = copySchemaBasics(schema, SchemaBuilder.struct());
    this.addFields(schema, '', builder, schema.optional, schema.defaultValue instanceof Struct ? schema.defaultValue : null);
    if (schema.optional) builder.optional();
    return builder.build();
  }

  private addFields(schema: Schema, prefix: string, builder: SchemaBuilder, optional: boolean, parentDefault: Struct | null): void {
    for (const field of schema.fields()) {
      const name = this.name(prefix, field.name);
      const fieldOptional = optional || field.schema.optional;
      const dflt = field.schema.defaultValue ?? (parentDefault ? parentDefault.get(field) : null);
      if (field.schema.type === 'struct') {
        this.addFields(field.schema, name, builder, fieldOptional, dflt instanceof Struct ? dflt : null);
        continue;
      }
      const fb = SchemaBuilder.from(field.schema);
      if (fieldOptional) fb.optional();
      if (dflt !== null) fb.defaultValue(dflt);
      builder.field(name, fb.build());
    }
  }

  private flattenStruct(struct: Struct | null, prefix: string, out: Struct): void {
    if (!struct) return;
    for (const field of struct.schema.fields()) {
      const name = this.name(prefix, field.name);
      if (field.schema.type === 'struct') this.flattenStruct(struct.get(field) as Struct | null, name, out);
      else out.put(name, struct.get(field));
    }
  }

  config(): ConfigSpec {
    return FLATTEN_CONFIG;
  }

  close(): void {
    this.cache.clear();
  }
}
