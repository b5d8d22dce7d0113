import { describe, expect, it } from 'vitest';
import { snapshotMarker } from '../events.js';

describe('blocking snapshot markers', () => {
  it("marks records as Debezium does: the snapshot's ends win over a table's", () => {
    // Two tables of three rows: positions (firstInSnapshot, lastInSnapshot, firstInTable, lastInTable).
    const rows: Array<[boolean, boolean, boolean, boolean]> = [
      [true, false, true, false], [false, false, false, false], [false, false, false, true],
      [false, false, true, false], [false, false, false, false], [false, true, false, true],
    ];
    expect(rows.map((r) => snapshotMarker(...r))).toEqual(['first', 'true', 'last_in_data_collection', 'first_in_data_collection', 'true', 'last']);
  });

  it('a single row is the last record', () => {
    expect(snapshotMarker(true, true, true, true)).toBe('last');
  });
});
