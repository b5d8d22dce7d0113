/**
 * MaskField$Key / MaskField$Value: replaces the listed fields with an empty value of their type
 * (0, false, "", empty array or map, the epoch for dates) or with `replacement` parsed to that type.
 */
import { BigDecimal, ConfigSpec, DataError, Decimal, Struct, Validators, type AnyRecord, type Schema, type SchemaType, type Transformation } from '../api/index.js';
import { inferType } from './cast-values.js';
import { operatingSchema, operatingValue, parseConfig, requireMap, requireStruct, variantName, withOperating, type Side } from './support.js';

const PURPOSE = 'mask fields';
const INT_RANGE: Partial<Record<SchemaType, [bigint, bigint]>> = {
  int8: [-128n, 127n], int16: [-32768n, 32767n], int32: [-2147483648n, 2147483647n], int64: [-(2n ** 63n), 2n ** 63n - 1n],
};

export const MASK_FIELD_CONFIG = new ConfigSpec()
  .define({ name: 'fields', type: 'list', importance: 'high', validator: Validators.nonEmptyList(), doc: 'Names of fields to mask.' })
  .define({
    name: 'replacement',
    type: 'string',
    default: null,
    importance: 'low',
    validator: Validators.nonEmptyString(),
    doc: 'Custom value replacement, that will be applied to all \'fields\' values (numeric or non-empty string values only).',
  });

/** What a field of this kind masks to; `schema` is null for schemaless values. */
function emptyValue(type: SchemaType | null, schema: Schema | null, value: unknown): unknown {
  if (value instanceof Date) return new Date(0);
  if (value instanceof BigDecimal) return new BigDecimal(0n, schema ? Decimal.scaleOf(schema) : 0);
  switch (type) {
    case 'int8': case 'int16': case 'int32': case 'int64': case 'float32': case 'float64':
      return typeof value === 'bigint' ? 0n : 0;
    case 'boolean': return false;
    case 'string': return '';
    case 'array': return [];
    case 'map': return value instanceof Map ? new Map() : {};
    default: throw new DataError(`Cannot mask value of type: ${type ?? typeof value}`);
  }
}

function replacementValue(replacement: string, type: SchemaType | null, schema: Schema | null, value: unknown): unknown {
  const notNumber = () => new DataError(`Unable to convert ${replacement} (String) to number`);
  if (value instanceof BigDecimal) {
    try {
      const parsed = BigDecimal.parse(replacement);
      return schema ? parsed.setScale(Decimal.scaleOf(schema), true) : parsed;
    } catch {
      throw notNumber();
    }
  }
  if (value instanceof Date) throw new DataError('Cannot mask value of type Date with custom replacement.');
  const range = type ? INT_RANGE[type] : undefined;
  // Schemaless numbers cannot tell int from float, so any number is accepted for them.
  if (range && schema) {
    if (!/^[+-]?\d+$/.test(replacement.trim())) throw notNumber();
    const n = BigInt(replacement.trim());
    if (n < range[0] || n > range[1]) throw notNumber();
    return type === 'int64' && (n > BigInt(Number.MAX_SAFE_INTEGER) || n < BigInt(Number.MIN_SAFE_INTEGER)) ? n : Number(n);
  }
  if (range || type === 'float32' || type === 'float64') {
    const n = Number(replacement.trim());
    if (replacement.trim() === '' || Number.isNaN(n)) throw notNumber();
    return type === 'float32' ? Math.fround(n) : n;
  }
  if (type === 'string') return replacement;
  throw new DataError(`Cannot mask value of type ${type ?? typeof value} with custom replacement.`);
}

export class MaskField implements Transformation {
  private fields = new Set<string>();
  private replacement: string | null = null;

  constructor(private readonly side: Side) {}

  configure(configs: Record<string, string>): void {
    const config = parseConfig(MASK_FIELD_CONFIG, configs, variantName('MaskField', this.side));
    this.fields = new Set(config.getList('fields'));
    // The replacement is kept as written: ConfigSpec trims strings, and spaces may matter in a mask.
    this.replacement = configs.replacement ?? null;
  }

  apply<R extends AnyRecord>(record: R): R | null {
    const value = operatingValue(record, this.side);
    if (value === null) return record;
    const schema = operatingSchema(record, this.side);
    if (!schema) {
      const updated: Record<string, unknown> = { ...requireMap(value, PURPOSE) };
      for (const f of this.fields) if (f in updated) updated[f] = this.masked(updated[f], inferType(updated[f]), null);
      return withOperating(record, this.side, null, updated);
    }
    const struct = requireStruct(value, PURPOSE);
    const updated = new Struct(schema);
    for (const field of schema.fields()) {
      const v = struct.get(field);
      updated.put(field, this.fields.has(field.name) ? this.masked(v, field.schema.type, field.schema) : v);
    }
    return withOperating(record, this.side, schema, updated);
  }

  private masked(value: unknown, type: SchemaType | null, schema: Schema | null): unknown {
    if (value === null || value === undefined) return null;
    return this.replacement === null ? emptyValue(type, schema, value) : replacementValue(this.replacement, type, schema, value);
  }

  config(): ConfigSpec {
    return MASK_FIELD_CONFIG;
  }

  close(): void {}
}
