/**
 * The snapshot's progress in the task's REST status: rows done and estimated, per table, while it
 * runs; then the streaming phase with what the snapshot read.
 */
import { describe, expect, it } from 'vitest';
import { eventually, http } from '../harness/worker-process.js';
import { cdcTestEnv, sql } from './pg-helpers.js';

const env = cdcTestEnv('prg');

interface Progress {
  phase: string;
  unit?: string;
  done?: number;
  estimated?: number;
  detail?: { tables?: Array<{ table: string; done: number; estimated: number; complete: boolean }>; snapshot?: { rows: number; tables: number; complete: boolean } };
}

describe('Postgres CDC snapshot progress', () => {
  it('shows rows done and estimated per table in the task status while the snapshot runs', { timeout: 120_000 }, async () => {
    const id = env.newId();
    for (const t of ['a', 'b']) {
      await sql(env.cluster, `CREATE TABLE ${id}_${t} (id int PRIMARY KEY, v text)`);
      await sql(env.cluster, `INSERT INTO ${id}_${t} SELECT g, 'v' || g FROM generate_series(1, 20000) g`);
      await sql(env.cluster, `ANALYZE ${id}_${t}`);
    }
    const res = await env.post(id, { 'snapshot.fetch.size': '200', 'max.batch.size': '200', 'max.queue.size': '400' });
    expect(res.status).toBe(201);
    const seen: Progress[] = [];
    const status = async () => (await http('GET', `${env.worker.url}/connectors/${id}/status`)).body.tasks[0]?.progress as Progress | undefined;
    await eventually(async () => {
      const p = await status();
      if (p) seen.push(p);
      return p?.phase === 'streaming';
    }, 90_000, `${id} streaming`);

    const during = seen.find((p) => p.phase === 'snapshot' && (p.done ?? 0) > 0 && (p.done ?? 0) < 40000);
    expect(during, JSON.stringify(seen.slice(0, 3))).toBeDefined();
    expect(during).toMatchObject({ unit: 'rows', estimated: expect.any(Number) });
    expect(during!.estimated!).toBeGreaterThanOrEqual(during!.done!);
    expect(during!.detail!.tables!.map((t) => t.table)).toEqual([`public.${id}_a`, `public.${id}_b`]);
    // ANALYZE gave the planner its row count: the first table's estimate is right while it is read.
    const first = seen.find((p) => p.phase === 'snapshot' && p.detail!.tables![0]!.done > 0 && !p.detail!.tables![0]!.complete);
    if (first) expect(first.detail!.tables![0]!.estimated).toBe(20000);

    const after = (await status())!;
    expect(after).toEqual({ phase: 'streaming', detail: { snapshot: { complete: true, rows: 40000, tables: 2 } } });
    // Also in the expanded connector list and the task's own status.
    const task = (await http('GET', `${env.worker.url}/connectors/${id}/tasks/0/status`)).body;
    expect(task.progress).toEqual(after);
  });
});
