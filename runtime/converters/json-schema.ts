/**
 * Connect schemas as the JSON that Kafka's JsonConverter puts in the envelope's "schema" field:
 * keys in Kafka's order (type, fields|items|keys+values, optional, name, version, doc, parameters,
 * default), struct fields with their name last under "field", float32/float64 as "float"/"double".
 */
import { DataError } from '../api/errors.js';
import type { Schema, SchemaType } from '../data/schema.js';
import { SchemaBuilder } from '../data/schema-builder.js';
import type { JsonCodec } from './json-codec.js';
import { JsonDecimal, type JsonValue } from './exact-json.js';
import { jsonQuote } from './java-text.js';

const TYPE_NAMES: Record<SchemaType, string> = {
  int8: 'int8', int16: 'int16', int32: 'int32', int64: 'int64', float32: 'float', float64: 'double',
  boolean: 'boolean', string: 'string', bytes: 'bytes', array: 'array', map: 'map', struct: 'struct',
};
const TYPES_BY_NAME = new Map(Object.entries(TYPE_NAMES).map(([type, name]) => [name, type as SchemaType]));

/** The compact JSON text of a schema; the default value is written with `codec`. */
export function schemaToJson(schema: Schema, codec: JsonCodec): string {
  let out = `{"type":"${TYPE_NAMES[schema.type]}"`;
  if (schema.type === 'struct') {
    const fields = schema.fields().map((f) => `${schemaToJson(f.schema, codec).slice(0, -1)},"field":${jsonQuote(f.name)}}`);
    out += `,"fields":[${fields.join(',')}]`;
  } else if (schema.type === 'array') {
    out += `,"items":${schemaToJson(schema.valueSchema!, codec)}`;
  } else if (schema.type === 'map') {
    out += `,"keys":${schemaToJson(schema.keySchema!, codec)},"values":${schemaToJson(schema.valueSchema!, codec)}`;
  }
  out += `,"optional":${schema.optional}`;
  if (schema.name !== null) out += `,"name":${jsonQuote(schema.name)}`;
  if (schema.version !== null) out += `,"version":${schema.version}`;
  if (schema.doc !== null) out += `,"doc":${jsonQuote(schema.doc)}`;
  if (schema.parameters !== null) {
    out += `,"parameters":{${Object.entries(schema.parameters).map(([k, v]) => `${jsonQuote(k)}:${jsonQuote(v)}`).join(',')}}`;
  }
  if (schema.defaultValue !== null) out += `,"default":${codec.text(schema, schema.defaultValue)}`;
  return `${out}}`;
}

type JsonObject = { [key: string]: JsonValue };

function isObject(node: JsonValue | undefined): node is JsonObject {
  return typeof node === 'object' && node !== null && !Array.isArray(node) && !(node instanceof JsonDecimal);
}

/** The Connect schema of a parsed JSON schema; null for JSON null. Errors use Kafka's wording. */
export function schemaFromJson(node: JsonValue, codec: JsonCodec): Schema | null {
  if (node === null) return null;
  if (!isObject(node)) throw new DataError(`Schema must be a JSON object, found ${JSON.stringify(node)}`);
  const typeName = node['type'];
  if (typeof typeName !== 'string') throw new DataError("Schema must contain 'type' field");
  const type = TYPES_BY_NAME.get(typeName);
  if (!type) throw new DataError(`Unknown schema type: ${typeName}`);

  let builder: SchemaBuilder;
  if (type === 'array') {
    const items = node['items'];
    if (items === undefined || items === null) throw new DataError('Array schema did not specify the element type');
    builder = SchemaBuilder.array(required(schemaFromJson(items, codec), 'array items'));
  } else if (type === 'map') {
    const keys = node['keys'];
    if (keys === undefined) throw new DataError('Map schema did not specify the key type');
    const values = node['values'];
    if (values === undefined) throw new DataError('Map schema did not specify the value type');
    builder = SchemaBuilder.map(required(schemaFromJson(keys, codec), 'map keys'), required(schemaFromJson(values, codec), 'map values'));
  } else if (type === 'struct') {
    builder = SchemaBuilder.struct();
    const fields = node['fields'];
    if (!Array.isArray(fields)) throw new DataError('Struct schema\'s "fields" argument is not an array.');
    for (const field of fields) {
      const name = isObject(field) ? field['field'] : undefined;
      if (typeof name !== 'string') throw new DataError('Struct schema\'s field name not specified properly');
      builder.field(name, required(schemaFromJson(field, codec), `field '${name}'`));
    }
  } else {
    builder = SchemaBuilder.type(type);
  }

  if (node['optional'] === true) builder.optional();
  const name = node['name'];
  if (typeof name === 'string') builder.name(name);
  const version = node['version'];
  if (typeof version === 'number' && Number.isInteger(version)) builder.version(version);
  const doc = node['doc'];
  if (typeof doc === 'string') builder.doc(doc);
  const params = node['parameters'];
  if (isObject(params)) {
    for (const [k, v] of Object.entries(params)) {
      if (typeof v !== 'string') throw new DataError('Schema parameters must have string values.');
      builder.parameter(k, v);
    }
  }
  const dflt = node['default'];
  if (dflt !== undefined && dflt !== null) builder.defaultValue(codec.reader(builder.build(), 'default')(dflt));
  return builder.build();
}

function required(schema: Schema | null, what: string): Schema {
  if (!schema) throw new DataError(`Schema for ${what} cannot be null`);
  return schema;
}
