/**
 * Moving from Debezium with its stored offsets: Debezium 3 writes `"snapshot": "INITIAL"` with
 * `snapshot_completed`, older versions `"snapshot": true`. An initial snapshot Debezium left
 * unfinished is taken again here; a finished one is not, and streaming goes on from its position.
 * The offsets are put in place as a user would, with PATCH /connectors/{name}/offsets on a
 * connector created STOPPED.
 */
import { describe, expect, it } from 'vitest';
import { eventually, http } from '../harness/worker-process.js';
import { changeEvents, connectorConfig, sql, cdcTestEnv, lsnValue } from './pg-helpers.js';

const env = cdcTestEnv('dbzoff');

/**
 * The connector created STOPPED on a slot made beforehand, with `offset` stored, then resumed.
 * `before` runs between the slot's creation and the offset's (what it returns goes to `offset`).
 */
async function startWithOffset<T>(id: string, offset: (slotLsn: number, made: T) => Record<string, unknown>, before?: () => Promise<T>, extra: Record<string, string> = {}): Promise<void> {
  const config = connectorConfig(env.cluster, id, { 'snapshot.mode': 'initial', ...extra });
  const lsn = (await sql(env.cluster, `SELECT lsn::text FROM pg_create_logical_replication_slot($1, 'pgoutput')`, [config['slot.name']])).rows[0]!.lsn as string;
  const made = (await before?.()) as T;
  const created = await http('POST', `${env.worker.url}/connectors`, { name: id, config, initial_state: 'STOPPED' });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const patched = await http('PATCH', `${env.worker.url}/connectors/${id}/offsets`, { offsets: [{ partition: { server: id }, offset: offset(lsnValue(lsn), made) }] });
  expect(patched.status, JSON.stringify(patched.body)).toBe(200);
  expect((await http('PUT', `${env.worker.url}/connectors/${id}/resume`)).status).toBe(202);
  await env.waitRunning(id);
}

/** What test_decoding shows on `slot` (then dropped): each change's LSN, transaction and text, and the commits' ends. */
async function decoded(slot: string): Promise<{ changes: Array<{ lsn: number; xid: number; data: string }>; commitEnds: number[] }> {
  const { rows } = await sql(env.cluster, 'SELECT lsn::text, xid::text, data FROM pg_logical_slot_get_changes($1, NULL, NULL)', [slot]);
  await sql(env.cluster, 'SELECT pg_drop_replication_slot($1)', [slot]);
  const all = rows.map((r) => ({ lsn: lsnValue(r.lsn), xid: Number(r.xid), data: String(r.data) }));
  return { changes: all.filter((r) => r.data.startsWith('table ')), commitEnds: all.filter((r) => r.data.startsWith('COMMIT')).map((r) => r.lsn) };
}

describe('Postgres CDC on offsets Debezium stored', () => {
  it('takes the snapshot again when Debezium 3 left it unfinished ("snapshot": "INITIAL")', { timeout: 90_000 }, async () => {
    const id = env.newId();
    const table = `${id}_t`;
    await sql(env.cluster, `CREATE TABLE ${table} (id int PRIMARY KEY, v text)`);
    await sql(env.cluster, `INSERT INTO ${table} SELECT g, 'v' || g FROM generate_series(1, 30) g`);
    await startWithOffset(id, (lsn) => ({ lsn, txId: 750, ts_usec: 1763800000000000, snapshot: 'INITIAL', last_snapshot_record: false, snapshot_completed: false }));
    await sql(env.cluster, `INSERT INTO ${table} VALUES (31, 'after')`);
    const events = await eventually(async () => {
      const e = await changeEvents(env.dir, `${id}.public.${table}`);
      return e.length >= 31 ? e : null;
    }, 60_000, 'snapshot and streamed events');
    expect(events.slice(0, 30).map((e) => [e.value!.op, (e.key as { id: number }).id])).toEqual(Array.from({ length: 30 }, (_, i) => ['r', i + 1]));
    expect(events[30]!.value).toMatchObject({ op: 'c', after: { id: 31, v: 'after' } });
    // Then the streamed insert's position is stored, with no snapshot keys left.
    const stored = await eventually(async () => {
      const o = (await http('GET', `${env.worker.url}/connectors/${id}/offsets`)).body.offsets[0]?.offset;
      return o?.messageType === 'INSERT' ? o : null;
    }, 30_000, 'the streamed offset stored');
    expect(stored).not.toHaveProperty('snapshot');
    expect(stored).not.toHaveProperty('snapshot_completed');
  });

  it('streams on without a snapshot from a finished one, in either form', { timeout: 90_000 }, async () => {
    for (const finished of [
      { snapshot: 'INITIAL', last_snapshot_record: true, snapshot_completed: true },
      { snapshot: true, last_snapshot_record: true },
    ]) {
      const id = env.newId();
      const table = `${id}_t`;
      await sql(env.cluster, `CREATE TABLE ${table} (id int PRIMARY KEY, v text)`);
      await sql(env.cluster, `INSERT INTO ${table} SELECT g, 'v' || g FROM generate_series(1, 10) g`);
      await startWithOffset(id, (lsn) => ({ lsn, txId: 750, ts_usec: 1763800000000000, ...finished }));
      await sql(env.cluster, `INSERT INTO ${table} VALUES (11, 'after')`);
      const events = await eventually(async () => {
        const e = await changeEvents(env.dir, `${id}.public.${table}`);
        return e.length >= 1 ? e : null;
      }, 60_000, 'the streamed insert');
      expect(events.map((e) => [e.value!.op, (e.key as { id: number }).id])).toEqual([['c', 11]]);
    }
  });

  it("resumes inside a COPY from Debezium's position: the rows after it, none before", { timeout: 90_000 }, async () => {
    // A COPY logs its rows a page at a time, each page one WAL record: every row of a page has
    // that record's LSN. Debezium's development branch (after 3.6.1) stores how many of them it emitted in lsn_events_processed.
    const id = env.newId();
    const table = `${id}_t`;
    const peekSlot = `${id}_peek`;
    await sql(env.cluster, `CREATE TABLE ${table} (id int PRIMARY KEY, v text)`);
    let expected: number[] = [];
    let storedLsn = 0;
    let copyEnd = 0;
    await startWithOffset(id, (_slotLsn, offset: Record<string, unknown>) => offset, async () => {
      // Debezium made the publication at its start, before these changes (pgoutput reads it as of each change).
      await sql(env.cluster, `CREATE PUBLICATION pub_${id} FOR TABLE ${table}`);
      // test_decoding on a slot of the same age shows each change's LSN and the commits' ends.
      await sql(env.cluster, `SELECT pg_create_logical_replication_slot($1, 'test_decoding')`, [peekSlot]);
      // Committed durably: a slot decodes only flushed WAL, and the harness turns synchronous_commit off.
      await sql(env.cluster, `SET synchronous_commit = on; INSERT INTO ${table} VALUES (0, 'before')`);
      await sql(env.cluster, `SET synchronous_commit = on; COPY ${table} FROM PROGRAM 'seq 1 1000 | sed s/$/,copied/' WITH (FORMAT csv)`);
      const { changes: decodedChanges, commitEnds } = await decoded(peekSlot);
      const changes = decodedChanges.filter((r) => r.data.startsWith(`table public.${table}: INSERT`)).map((r) => ({ ...r, id: Number(/id\[integer\]:(\d+)/.exec(r.data)![1]) }));
      const [firstCommitEnd, copyCommitEnd] = commitEnds;
      copyEnd = copyCommitEnd!;
      const copied = changes.filter((c) => c.id > 0);
      // The second page's record: Debezium had emitted its first 5 rows.
      const pages = [...new Set(copied.map((c) => c.lsn))];
      expect(pages.length, 'the COPY took several WAL records').toBeGreaterThan(2);
      storedLsn = pages[1]!;
      const at = copied.findIndex((c) => c.lsn === storedLsn) + 5;
      expected = copied.slice(at).map((c) => c.id);
      return { lsn: storedLsn, lsn_proc: storedLsn, lsn_commit: firstCommitEnd, txId: copied[0]!.xid, ts_usec: 1763800000000000, messageType: 'INSERT', lsn_events_processed: 5 };
    });
    await sql(env.cluster, `INSERT INTO ${table} VALUES (1001, 'after')`);
    const events = await eventually(async () => {
      const e = await changeEvents(env.dir, `${id}.public.${table}`);
      return e.some((x) => (x.key as { id: number }).id === 1001) ? e : null;
    }, 60_000, 'the rows after the stored position, then the new insert');
    expect(events.map((e) => (e.key as { id: number }).id)).toEqual([...expected, 1001]);
    // The new insert's stored offset is the one Debezium would store: lsn_commit is the end of the
    // last commit before it (the COPY's), and the insert is the first change at its LSN.
    const stored = await eventually(async () => {
      const o = (await http('GET', `${env.worker.url}/connectors/${id}/offsets`)).body.offsets[0]?.offset;
      return o?.lsn > storedLsn ? o : null;
    }, 30_000, "the new insert's offset stored");
    expect(stored).toMatchObject({ messageType: 'INSERT', lsn_commit: copyEnd, lsn_events_processed: 1 });
  });

  it('resumes inside a TRUNCATE of several tables, one change per table as Debezium counts it', { timeout: 90_000 }, async () => {
    const id = env.newId();
    const tables = ['a', 'b', 'c'].map((t) => `${id}_${t}`);
    const peekSlot = `${id}_peek`;
    for (const t of tables) await sql(env.cluster, `CREATE TABLE ${t} (id int PRIMARY KEY)`);
    await startWithOffset(id, (_slotLsn, offset: Record<string, unknown>) => offset, async () => {
      await sql(env.cluster, `CREATE PUBLICATION pub_${id} FOR TABLE ${tables.join(', ')}`);
      await sql(env.cluster, `SELECT pg_create_logical_replication_slot($1, 'test_decoding')`, [peekSlot]);
      await sql(env.cluster, `SET synchronous_commit = on; INSERT INTO ${tables[0]} VALUES (1)`);
      await sql(env.cluster, `SET synchronous_commit = on; TRUNCATE ${tables.join(', ')}`);
      const { changes, commitEnds } = await decoded(peekSlot);
      const truncates = changes.filter((c) => c.data.includes('TRUNCATE'));
      expect(new Set(truncates.map((c) => c.lsn)).size, 'one WAL record for the three tables').toBe(1);
      // Debezium had emitted the truncate of the first table the message names.
      expect(truncates[0]!.data).toContain(`public.${tables[0]}`);
      return { lsn: truncates[0]!.lsn, lsn_proc: truncates[0]!.lsn, lsn_commit: commitEnds[0], txId: truncates[0]!.xid, ts_usec: 1763800000000000, messageType: 'TRUNCATE', lsn_events_processed: 1 };
    }, { 'skipped.operations': 'none' });
    await sql(env.cluster, `INSERT INTO ${tables[2]} VALUES (7)`);
    const events = await eventually(async () => {
      const byTable = await Promise.all(tables.map((t) => changeEvents(env.dir, `${id}.public.${t}`)));
      return byTable[2]!.length >= 2 ? byTable : null;
    }, 60_000, 'the truncates not stored, then the new insert');
    expect(events.map((e) => e.map((x) => x.value!.op))).toEqual([[], ['t'], ['t', 'c']]);
  });
});
