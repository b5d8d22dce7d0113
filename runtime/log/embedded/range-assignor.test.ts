import { describe, it, expect } from 'vitest';
import { rangeAssign } from './range-assignor.js';

describe('rangeAssign', () => {
  it('gives the first members the extra partitions, per topic', () => {
    const result = rangeAssign(
      [
        { id: 'c-2', topics: ['t1', 't2'] },
        { id: 'c-1', topics: ['t1', 't2'] },
      ],
      new Map([
        ['t1', 3],
        ['t2', 3],
      ]),
    );
    expect(result.get('c-1')).toEqual([
      { topic: 't1', partition: 0 },
      { topic: 't1', partition: 1 },
      { topic: 't2', partition: 0 },
      { topic: 't2', partition: 1 },
    ]);
    expect(result.get('c-2')).toEqual([
      { topic: 't1', partition: 2 },
      { topic: 't2', partition: 2 },
    ]);
  });

  it('assigns a topic only among the members subscribed to it', () => {
    const result = rangeAssign(
      [
        { id: 'a', topics: ['x'] },
        { id: 'b', topics: ['x', 'y'] },
      ],
      new Map([
        ['x', 2],
        ['y', 2],
      ]),
    );
    expect(result.get('a')).toEqual([{ topic: 'x', partition: 0 }]);
    expect(result.get('b')).toEqual([
      { topic: 'x', partition: 1 },
      { topic: 'y', partition: 0 },
      { topic: 'y', partition: 1 },
    ]);
  });

  it('leaves members beyond the partition count empty-handed', () => {
    const result = rangeAssign(
      [
        { id: 'a', topics: ['x'] },
        { id: 'b', topics: ['x'] },
      ],
      new Map([['x', 1]]),
    );
    expect(result.get('a')).toEqual([{ topic: 'x', partition: 0 }]);
    expect(result.get('b')).toEqual([]);
  });
});
