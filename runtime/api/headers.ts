/** Record headers with schemas, as Kafka Connect's Headers: ordered, duplicate keys allowed. */
import { inferSchema } from '../data/schema-and-value.js';
import type { Schema } from '../data/schema.js';
import { validateValue } from '../data/validate.js';

export interface Header {
  readonly key: string;
  readonly schema: Schema | null;
  readonly value: unknown;
}

export class ConnectHeaders implements Iterable<Header> {
  private list: Header[];

  constructor(headers: Iterable<Header> = []) {
    this.list = [...headers];
  }

  get size(): number {
    return this.list.length;
  }

  /** Adds a header; with no schema given one is inferred from the value (null for null). */
  add(key: string, value: unknown, schema: Schema | null = inferSchema(value)): this {
    if (schema) validateValue(schema, value, `header '${key}'`);
    this.list.push({ key, schema, value: value ?? null });
    return this;
  }

  addString(key: string, value: string | null): this {
    this.list.push({ key, schema: null, value });
    return this;
  }

  lastWithName(key: string): Header | null {
    for (let i = this.list.length - 1; i >= 0; i--) if (this.list[i]!.key === key) return this.list[i]!;
    return null;
  }

  allWithName(key: string): Header[] {
    return this.list.filter((h) => h.key === key);
  }

  remove(key: string): this {
    this.list = this.list.filter((h) => h.key !== key);
    return this;
  }

  /** Keeps only the last header of each key (or of the given key). */
  retainLatest(key?: string): this {
    const seen = new Set<string>();
    const kept: Header[] = [];
    for (let i = this.list.length - 1; i >= 0; i--) {
      const h = this.list[i]!;
      if (key !== undefined && h.key !== key) kept.push(h);
      else if (!seen.has(h.key)) {
        seen.add(h.key);
        kept.push(h);
      }
    }
    this.list = kept.reverse();
    return this;
  }

  clear(): this {
    this.list = [];
    return this;
  }

  duplicate(): ConnectHeaders {
    return new ConnectHeaders(this.list);
  }

  toArray(): Header[] {
    return [...this.list];
  }

  [Symbol.iterator](): Iterator<Header> {
    return this.list[Symbol.iterator]();
  }
}
