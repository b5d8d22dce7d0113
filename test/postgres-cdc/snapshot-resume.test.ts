/**
 * An initial snapshot killed (kill -9) part way resumes at the table where it stopped: tables
 * already stored are not read again, the rest are read in a new snapshot, and the stream from the
 * slot drops what that snapshot already holds. Writes run throughout, to tables done and not done.
 */
import { describe, expect, it } from 'vitest';
import { eventually, http, startWorker } from '../harness/worker-process.js';
import { cdcTestEnv, sql } from './pg-helpers.js';
import { differences, replay, startWriter, tableRows } from './snapshot-checks.js';

const env = cdcTestEnv('res');

interface StoredOffset {
  snapshot?: string | boolean;
  last_snapshot_record?: boolean;
  snapshot_completed_tables?: string;
  snapshot_started_tables?: string;
}

async function storedOffset(id: string): Promise<StoredOffset | null> {
  const body = (await http('GET', `${env.worker.url}/connectors/${id}/offsets`)).body as { offsets?: Array<{ offset: StoredOffset }> };
  return body.offsets?.[0]?.offset ?? null;
}

const list = (text: string | undefined): string[] => (text ? (JSON.parse(text) as string[]) : []);

describe('Postgres CDC snapshot resume', () => {
  for (const threads of [1, 2]) {
    it(`resumes at the table it stopped in after a kill -9 (snapshot.max.threads=${threads})`, { timeout: 150_000 }, async () => {
      const id = env.newId();
      const seq = `${id}_version`;
      await sql(env.cluster, `CREATE SEQUENCE ${seq} START 1`);
      // Read in name order: a and b are done first, c (large) is where the kill lands, d after it.
      const sizes = { a: 2000, b: 2000, c: 60000, d: 3000 };
      const tables = Object.entries(sizes).map(([suffix, rows]) => ({ name: `${id}_${suffix}`, rows }));
      for (const t of tables) {
        await sql(env.cluster, `CREATE TABLE ${t.name} (id int PRIMARY KEY, v text NOT NULL, n bigint NOT NULL)`);
        await sql(env.cluster, `INSERT INTO ${t.name} SELECT g, 'v' || g, 0 FROM generate_series(1, ${t.rows}) g`);
      }
      const [a, b, c, d] = tables.map((t) => t.name) as [string, string, string, string];
      const name = (t: string) => `public.${t}`;
      // threads=2 reads two tables at once: c and d are then both under way; a and b done first.
      await env.deploy(id, { 'snapshot.fetch.size': '50', 'snapshot.max.threads': String(threads) });
      const writer = startWriter(env.cluster, seq, tables);

      const atKill = await eventually(async () => {
        const o = await storedOffset(id);
        const completed = list(o?.snapshot_completed_tables);
        const started = list(o?.snapshot_started_tables);
        return o?.snapshot && completed.includes(name(a)) && completed.includes(name(b)) && started.includes(name(c)) ? o : null;
      }, 60000, 'a stored offset with a and b done and c under way');
      await env.worker.kill();
      expect(list(atKill.snapshot_completed_tables), 'c not done when killed').not.toContain(name(c));
      const readsBefore = await Promise.all([a, b].map(async (t) => (await replay(env.dir, `${id}.public.${t}`)).reads));
      // Writes while the worker is down land between the first snapshot and the second.
      await new Promise((r) => setTimeout(r, 1500));

      env.worker = await startWorker({ dir: env.dir });
      await eventually(async () => /snapshot of \d+ table\(s\) done/.test(env.worker.output()), 90000, 'the resumed snapshot to finish');
      await new Promise((r) => setTimeout(r, 1000));
      const writes = await writer.stop();
      const output = env.worker.output();
      expect(output).toMatch(new RegExp(`resuming the interrupted snapshot: skipping \\d table\\(s\\) already done \\(${name(a)}, ${name(b)}`));
      expect(output).toMatch(new RegExp(`of which [^\\n]*${name(c)}[^\\n]* again from the start`));

      for (const t of tables) {
        const want = await tableRows(env.cluster, t.name);
        const topic = `${id}.public.${t.name}`;
        let last = await replay(env.dir, topic);
        await eventually(async () => {
          last = await replay(env.dir, topic);
          return differences(want, last.rebuilt).length === 0;
        }, 60000, `${t.name} to settle`).catch(() => undefined);
        expect(differences(want, last.rebuilt).slice(0, 5), `${t.name}: replayed topic = table`).toEqual([]);
        expect(last.regressions.slice(0, 5), `${t.name}: no row goes back to an older version`).toEqual([]);
        if (t.name === a || t.name === b) expect(last.reads, `${t.name} read once`).toBe(t.rows);
        else expect(last.reads, `${t.name} read again`).toBeGreaterThanOrEqual(want.size - writes);
      }
      // Reads of the completed tables were all in the topic at the kill: nothing added since.
      expect(readsBefore).toEqual([sizes.a, sizes.b]);
      // Once the stream is past the second snapshot, offsets no longer carry the filter.
      await sql(env.cluster, `UPDATE ${d} SET n = nextval('${seq}') WHERE id = 3`);
      await eventually(async () => {
        const o = (await storedOffset(id)) as Record<string, unknown> | null;
        return o && !o.snapshot && o.snapshot_stream_filter === undefined;
      }, 30000, 'an offset without the filter');
    });
  }
});
