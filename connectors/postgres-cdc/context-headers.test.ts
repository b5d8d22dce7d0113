import { describe, expect, it } from 'vitest';
import { contextHeaders, uuidV7 } from './context-headers.js';

describe('context headers', () => {
  it("are Debezium's four, in its order, with a version 7 run id", () => {
    const h = contextHeaders('shop', '01a203b0-09cf-76f0-a5d2-5bca48403ade');
    expect(h.map((x) => [x.key, x.value])).toEqual([
      ['__debezium.context.connectorLogicalName', 'shop'],
      ['__debezium.context.taskId', '0'],
      ['__debezium.context.connectorName', 'postgresql'],
      ['__debezium.context.runId', '01a203b0-09cf-76f0-a5d2-5bca48403ade'],
    ]);
    expect(Object.isFrozen(h)).toBe(true);
  });

  it('makes time-ordered UUIDs', () => {
    const a = uuidV7(1_700_000_000_000);
    expect(a).toMatch(/^018bcfe5-6800-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(uuidV7(1_700_000_000_001) > a).toBe(true);
    expect(uuidV7()).not.toBe(uuidV7());
  });
});
