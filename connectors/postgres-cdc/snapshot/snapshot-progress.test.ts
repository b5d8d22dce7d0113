import { describe, expect, it } from 'vitest';
import type { TaskProgress } from '../../../runtime/api/index.js';
import { SnapshotProgress } from './snapshot-progress.js';

describe('SnapshotProgress', () => {
  it('reports rows done and estimated, in all and per table, then streaming', () => {
    const reports: Array<TaskProgress | null> = [];
    const p = new SnapshotProgress((r) => reports.push(r), ['public.a', 'public.b']);
    expect(reports[0]).toMatchObject({ phase: 'snapshot', unit: 'rows', done: 0, detail: { tables_total: 2, tables_complete: 0 } });
    p.update({ table: 'public.a', rowsDone: 100, rowsEstimated: 250, done: false });
    expect(reports.at(-1)).toMatchObject({ done: 100, estimated: 250 });
    p.update({ table: 'public.a', rowsDone: 240, rowsEstimated: 250, done: true });
    p.update({ table: 'public.b', rowsDone: 10, rowsEstimated: 5, done: false });
    expect(reports.at(-1)).toEqual({
      phase: 'snapshot', unit: 'rows', done: 250, estimated: 250,
      detail: {
        tables: [
          { table: 'public.a', done: 240, estimated: 250, complete: true },
          { table: 'public.b', done: 10, estimated: 10, complete: false },
        ],
        tables_complete: 1, tables_total: 2,
      },
    });
    p.finished(false);
    expect(reports.at(-1)).toMatchObject({ phase: 'snapshot', done: 250 });
    p.finished(true);
    expect(reports.at(-1)).toEqual({ phase: 'streaming', detail: { snapshot: { complete: true, rows: 250, tables: 2 } } });
  });

  it('marks tables an interrupted snapshot already sent as skipped', () => {
    const reports: Array<TaskProgress | null> = [];
    const p = new SnapshotProgress((r) => reports.push(r), ['public.a']);
    p.update({ table: 'public.a', rowsDone: 0, rowsEstimated: 0, done: true, skipped: true });
    expect(reports.at(-1)?.detail).toMatchObject({ tables: [{ table: 'public.a', complete: true, skipped: true }] });
  });
});
