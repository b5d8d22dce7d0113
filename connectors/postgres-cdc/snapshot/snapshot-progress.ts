/**
 * The snapshot's progress as the task reports it to the runtime (`progress` on the task in the REST
 * status): rows done and estimated in all, and per table, in the order the tables are read.
 */
import type { TaskProgress } from '../../../runtime/api/index.js';
import type { SnapshotProgressEvent } from './snapshot-events.js';

interface TableProgress {
  table: string;
  done: number;
  estimated: number;
  complete: boolean;
  skipped?: boolean;
}

export class SnapshotProgress {
  private readonly tables = new Map<string, TableProgress>();

  constructor(
    private readonly report: (p: TaskProgress | null) => void,
    tableNames: string[],
  ) {
    for (const table of tableNames) this.tables.set(table, { table, done: 0, estimated: 0, complete: false });
    this.report(this.snapshot());
  }

  update(e: SnapshotProgressEvent): void {
    const t: TableProgress = { table: e.table, done: e.rowsDone, estimated: Math.max(e.rowsEstimated, e.rowsDone), complete: e.done };
    if (e.skipped) t.skipped = true;
    this.tables.set(e.table, t);
    this.report(this.snapshot());
  }

  /** After the snapshot: streaming, with what the snapshot read (or, under initial_only, the snapshot complete). */
  finished(streaming: boolean): void {
    if (!streaming) {
      this.report(this.snapshot());
      return;
    }
    const rows = [...this.tables.values()].reduce((n, t) => n + t.done, 0);
    this.report({ phase: 'streaming', detail: { snapshot: { complete: true, rows, tables: this.tables.size } } });
  }

  private snapshot(): TaskProgress {
    const tables = [...this.tables.values()];
    const done = tables.reduce((n, t) => n + t.done, 0);
    // A table not yet started counts with no estimate until its turn (its reltuples is read then).
    const estimated = tables.reduce((n, t) => n + (t.complete ? t.done : Math.max(t.estimated, t.done)), 0);
    return {
      phase: 'snapshot',
      unit: 'rows',
      done,
      estimated: Math.max(estimated, done),
      detail: { tables: tables.map((t) => ({ ...t })), tables_complete: tables.filter((t) => t.complete).length, tables_total: tables.length },
    };
  }
}
