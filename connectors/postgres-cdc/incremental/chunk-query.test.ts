import { describe, expect, it } from 'vitest';
import { chunkQuery, maxKeyQuery, type ChunkTarget } from './chunk-query.js';

const target = (chunkNames: string[], condition: string | null): ChunkTarget => ({
  catalog: { schema: 'public', name: 'Orders', columns: [{ name: 'a' }, { name: 'b' }, { name: 'code' }] },
  chunkNames,
  collection: { condition },
});

describe('chunk SQL', () => {
  it('reads the first chunk up to the maximum key, in key order', () => {
    const q = chunkQuery(target(['a', 'b'], null), null, ['9', 'z'], 100);
    expect(q.text).toBe('SELECT "a", "b", "code" FROM "public"."Orders" WHERE ("a", "b") <= ($1, $2) ORDER BY "a", "b" LIMIT 100');
    expect(q.values).toEqual(['9', 'z']);
    expect(q.rowMode).toBe('array');
  });

  it('reads a later chunk after the last key, with the additional condition and by the surrogate key', () => {
    const q = chunkQuery(target(['code'], "(status = 'open')"), ['c10'], ['c99'], 5);
    expect(q.text).toBe(`SELECT "a", "b", "code" FROM "public"."Orders" WHERE ("code") > ($1) AND ("code") <= ($2) AND (status = 'open') ORDER BY "code" LIMIT 5`);
    expect(q.values).toEqual(['c10', 'c99']);
  });

  it('finds the maximum key among rows with no NULL in it that the condition keeps', () => {
    expect(maxKeyQuery(target(['a', 'b'], '(n > 2)')).text).toBe('SELECT "a", "b" FROM "public"."Orders" WHERE "a" IS NOT NULL AND "b" IS NOT NULL AND (n > 2) ORDER BY "a" DESC, "b" DESC LIMIT 1');
  });
});
