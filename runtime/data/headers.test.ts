import { describe, expect, it } from 'vitest';
import { DataError } from '../api/errors.js';
import { ConnectHeaders } from '../api/headers.js';
import { Schemas } from './schema-builder.js';

describe('ConnectHeaders', () => {
  it('keeps order and duplicates, finds the last of a key', () => {
    const h = new ConnectHeaders().add('a', 1).add('b', 'x').add('a', 2);
    expect(h.size).toBe(3);
    expect(h.lastWithName('a')!.value).toBe(2);
    expect(h.allWithName('a').map((x) => x.value)).toEqual([1, 2]);
    expect(h.lastWithName('zz')).toBeNull();
    expect([...h].map((x) => x.key)).toEqual(['a', 'b', 'a']);
  });

  it('infers a schema or checks the one given', () => {
    const h = new ConnectHeaders().add('n', 5).add('s', 'x', Schemas.STRING).add('nil', null);
    expect(h.lastWithName('n')!.schema).toBe(Schemas.INT8);
    expect(h.lastWithName('nil')!.schema).toBeNull();
    expect(() => h.add('bad', 'x', Schemas.INT32)).toThrow(DataError);
    expect(() => h.add('bad', 'x', Schemas.INT32)).toThrow(/header 'bad'/);
  });

  it('removes, retains the latest, duplicates independently', () => {
    const h = new ConnectHeaders().add('a', 1).add('b', 2).add('a', 3).add('b', 4);
    const copy = h.duplicate();
    h.retainLatest();
    expect(h.toArray().map((x) => [x.key, x.value])).toEqual([['a', 3], ['b', 4]]);
    expect(copy.size).toBe(4);
    copy.retainLatest('a');
    expect(copy.toArray().map((x) => [x.key, x.value])).toEqual([['b', 2], ['a', 3], ['b', 4]]);
    expect(copy.remove('b').size).toBe(1);
    expect(copy.clear().size).toBe(0);
  });
});
