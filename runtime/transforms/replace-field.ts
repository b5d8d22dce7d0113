/**
 * ReplaceField$Key / ReplaceField$Value: keeps only `include` fields (all when empty), drops `exclude`
 * fields, and renames with `renames=old:new`. `blacklist`/`whitelist` are the deprecated names of
 * exclude/include, used only when the new key is not given.
 */
import { ConfigSpec, SchemaBuilder, Struct, type AnyRecord, type Schema, type Transformation, type Validator } from '../api/index.js';
import { SchemaCache, copySchemaBasics, operatingSchema, operatingValue, parseConfig, requireMap, requireStruct, variantName, withOperating, type Side } from './support.js';

const PURPOSE = 'field replacement';

const renamesValidator: Validator = Object.assign(
  (_name: string, value: unknown): string | null => {
    const bad = (Array.isArray(value) ? (value as string[]) : []).find((m) => m.split(':').length !== 2);
    return bad === undefined ? null : `Invalid rename mapping: ${bad}`;
  },
  { describe: 'list of colon-delimited pairs, e.g. foo:bar,abc:xyz' },
);

export const REPLACE_FIELD_CONFIG = new ConfigSpec()
  .define({ name: 'exclude', type: 'list', default: [], importance: 'medium', doc: 'Fields to exclude. This takes precedence over the fields to include.' })
  .define({ name: 'blacklist', type: 'list', default: null, importance: 'low', doc: 'Deprecated. Use exclude instead.' })
  .define({ name: 'include', type: 'list', default: [], importance: 'medium', doc: 'Fields to include. If specified, only these fields will be used.' })
  .define({ name: 'whitelist', type: 'list', default: null, importance: 'low', doc: 'Deprecated. Use include instead.' })
  .define({ name: 'renames', type: 'list', default: [], importance: 'medium', validator: renamesValidator, doc: 'Field rename mappings.' });

export class ReplaceField implements Transformation {
  private exclude = new Set<string>();
  private include = new Set<string>();
  private renames = new Map<string, string>();
  private reverseRenames = new Map<string, string>();
  private readonly cache = new SchemaCache();

  constructor(private readonly side: Side) {}

  configure(configs: Record<string, string>): void {
    const config = parseConfig(REPLACE_FIELD_CONFIG, configs, variantName('ReplaceField', this.side));
    this.exclude = new Set(config.getList(configs.exclude === undefined && configs.blacklist !== undefined ? 'blacklist' : 'exclude'));
    this.include = new Set(config.getList(configs.include === undefined && configs.whitelist !== undefined ? 'whitelist' : 'include'));
    this.renames = new Map(config.getList('renames').map((m) => m.split(':') as [string, string]));
    this.reverseRenames = new Map([...this.renames].map(([a, b]) => [b, a]));
    this.cache.clear();
  }

  private keeps(field: string): boolean {
    return !this.exclude.has(field) && (this.include.size === 0 || this.include.has(field));
  }

  private renamed(field: string): string {
    return this.renames.get(field) ?? field;
  }

  apply<R extends AnyRecord>(record: R): R | null {
    const value = operatingValue(record, this.side);
    if (value === null) return record;
    const schema = operatingSchema(record, this.side);
    if (!schema) {
      const updated: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(requireMap(value, PURPOSE))) if (this.keeps(k)) updated[this.renamed(k)] = v;
      return withOperating(record, this.side, null, updated);
    }
    const struct = requireStruct(value, PURPOSE);
    const updatedSchema = this.cache.getOrBuild(schema, (s) => this.buildSchema(s));
    const updated = new Struct(updatedSchema);
    for (const f of updatedSchema.fields()) updated.put(f, struct.get(this.reverseRenames.get(f.name) ?? f.name));
    return withOperating(record, this.side, updatedSchema, updated);
  }

  private buildSchema(schema: Schema): Schema {
    const builder = copySchemaBasics(schema, SchemaBuilder.struct());
    for (const f of schema.fields()) if (this.keeps(f.name)) builder.field(this.renamed(f.name), f.schema);
    if (schema.optional) builder.optional();
    return builder.build();
  }

  config(): ConfigSpec {
    return REPLACE_FIELD_CONFIG;
  }

  close(): void {
    this.cache.clear();
  }
}
