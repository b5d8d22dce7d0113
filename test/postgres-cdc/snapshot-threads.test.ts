/**
 * snapshot.max.threads: tables read at once on several connections sharing the slot's exported
 * snapshot. Markers stay Debezium's, every row is there, and writes during the snapshot still
 * replay to the final table with no row going back. Prints rows/s with 1 and 2 threads.
 */
import { describe, expect, it } from 'vitest';
import { eventually } from '../harness/worker-process.js';
import { cdcTestEnv, changeEvents, sql } from './pg-helpers.js';
import { differences, replay, startWriter, tableRows } from './snapshot-checks.js';

const env = cdcTestEnv('thr');

async function createTables(id: string, suffixes: string[], rows: number): Promise<string[]> {
  const names = suffixes.map((s) => `${id}_${s}`);
  for (const name of names) {
    await sql(env.cluster, `CREATE TABLE ${name} (id int PRIMARY KEY, v text NOT NULL, n bigint NOT NULL)`);
    await sql(env.cluster, `INSERT INTO ${name} SELECT g, 'v' || g, 0 FROM generate_series(1, ${rows}) g`);
  }
  return names;
}

/** From the task's log line: `snapshot of N table(s) done...: R rows in T ms`. */
async function snapshotFigures(id: string): Promise<{ rows: number; ms: number }> {
  const m = await eventually(async () => new RegExp(`\\[${id}\\|task-0\\] snapshot of \\d+ table\\(s\\) done[^:]*: (\\d+) rows in (\\d+) ms`).exec(env.worker.output()), 120000, `${id}'s snapshot`);
  return { rows: Number(m[1]), ms: Number(m[2]) };
}

describe('Postgres CDC snapshot threads', () => {
  it('reads 4 tables on 2 threads: markers right, every row, consistent with writes during it', { timeout: 120_000 }, async () => {
    const id = env.newId();
    const seq = `${id}_version`;
    await sql(env.cluster, `CREATE SEQUENCE ${seq} START 1`);
    const rows = 10000;
    const names = await createTables(id, ['a', 'b', 'c', 'd'], rows);
    await env.deploy(id, { 'snapshot.max.threads': '2', 'snapshot.fetch.size': '100' });
    const writer = startWriter(env.cluster, seq, names.map((name) => ({ name, rows })));
    await snapshotFigures(id);
    await new Promise((r) => setTimeout(r, 500));
    await writer.stop();

    const reads: Array<{ table: string; marker: string }> = [];
    for (const name of names) {
      const want = await tableRows(env.cluster, name);
      const topic = `${id}.public.${name}`;
      let last = await replay(env.dir, topic);
      await eventually(async () => {
        last = await replay(env.dir, topic);
        return differences(want, last.rebuilt).length === 0;
      }, 60000, `${name} to settle`).catch(() => undefined);
      expect(differences(want, last.rebuilt).slice(0, 5), `${name}: replayed topic = table`).toEqual([]);
      expect(last.regressions.slice(0, 5), `${name}: no row goes back`).toEqual([]);
      // On the slot's own snapshot nothing is read twice: exactly the rows at the slot's position.
      expect(last.reads, `${name} rows read`).toBeGreaterThanOrEqual(rows - 100);
      const snapshotIds = last.events.filter((e) => e.value?.op === 'r').map((e) => (e.value!.after as { id: number }).id);
      expect(new Set(snapshotIds).size, `${name}: no row read twice`).toBe(snapshotIds.length);
      for (const e of await changeEvents(env.dir, topic)) if (e.value?.op === 'r') reads.push({ table: name, marker: String(e.value.source.snapshot) });
    }
    expect(reads.filter((r) => r.marker === 'first').length, 'one first').toBe(1);
    expect(reads.filter((r) => r.marker === 'last').length, 'one last').toBe(1);
    for (const name of names) {
      const mine = reads.filter((r) => r.table === name);
      expect(['last_in_data_collection', 'last'], `${name} ends marked`).toContain(mine.at(-1)!.marker);
      // Each table starts marked (first for the snapshot's very first row), as Debezium marks it.
      expect(['first_in_data_collection', 'first'], `${name} starts marked`).toContain(mine[0]!.marker);
      expect(mine.slice(1, -1).filter((r) => r.marker !== 'true'), `${name} inside`).toEqual([]);
    }
  });

  it('rows/s with 1 and 2 threads on 4 tables', { timeout: 180_000 }, async () => {
    const rows = 100000;
    const figures: Record<number, { rows: number; ms: number }> = {};
    for (const threads of [1, 2]) {
      const id = env.newId();
      await createTables(id, ['a', 'b', 'c', 'd'], rows);
      await env.deploy(id, { 'snapshot.mode': 'initial_only', 'snapshot.max.threads': String(threads) });
      figures[threads] = await snapshotFigures(id);
      expect(figures[threads]!.rows).toBe(4 * rows);
    }
    const rate = (f: { rows: number; ms: number }) => Math.round(f.rows / (f.ms / 1000));
    console.log(`snapshot of 4 x ${rows} rows: 1 thread ${rate(figures[1]!)} rows/s (${figures[1]!.ms} ms), 2 threads ${rate(figures[2]!)} rows/s (${figures[2]!.ms} ms), ratio ${(figures[1]!.ms / figures[2]!.ms).toFixed(2)}`);
  });
});
