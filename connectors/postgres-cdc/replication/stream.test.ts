/** ReplicationStream + decodePgOutput against a real Postgres (wal_sender_timeout=5s for quick keepalives). */
import type pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PostgresCluster } from '../../../test/harness/postgres.js';
import { formatLsn, parseLsn } from './lsn.js';
import type { PgOutputMessage, TupleValue } from './pgoutput.js';
import { ReplicationStream } from './stream.js';
import { config, confirmedFlush, dropSlotIfExists, record, sql, waitFor, type Recorder } from './test-helpers.js';

let cluster: PostgresCluster;
let db: pg.Client;
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  cluster = await startPostgres({ conf: ['wal_sender_timeout = 5s'] });
  db = await sql(cluster);
});
afterEach(async () => {
  // Streams first: a slot held by an open stream cannot be dropped.
  for (const c of cleanups.splice(0).reverse()) await c();
});
afterAll(async () => {
  await db?.end();
  await cluster?.stop();
});

/** Table + publication + slot, all named after `name`; cleaned up after the test. */
async function setup(name: string, columns: string): Promise<{ slot: string; pub: string; start: bigint; snapshotName: string }> {
  await db.query(`CREATE TABLE ${name} (${columns})`);
  await db.query(`CREATE PUBLICATION ${name}_pub FOR TABLE ${name}`);
  const admin = await ReplicationStream.connect(config(cluster));
  const slot = await admin.createSlot(`${name}_slot`);
  await admin.end();
  cleanups.push(async () => {
    await dropSlotIfExists(db, `${name}_slot`);
    await db.query(`DROP PUBLICATION ${name}_pub`);
    await db.query(`DROP TABLE ${name}`);
  });
  return { slot: `${name}_slot`, pub: `${name}_pub`, start: slot.consistentPoint, snapshotName: slot.snapshotName };
}

async function stream(slot: string, start: bigint, pub: string): Promise<Recorder> {
  const rec = await record(cluster, slot, start, pub);
  cleanups.push(() => rec.stream.end());
  return rec;
}

const text = (t: string): TupleValue => ({ kind: 'text', text: t });
const NULL: TupleValue = { kind: 'null' };

describe('ReplicationStream', () => {
  it('identifies the system', async () => {
    const s = await ReplicationStream.connect(config(cluster));
    try {
      const id = await s.identifySystem();
      expect(id.systemId).toMatch(/^\d+$/);
      expect(id.timeline).toBe(1);
      expect(id.xLogPos).toBeGreaterThan(0n);
      expect(id.dbName).toBe('postgres');
    } finally {
      await s.end();
    }
  });

  it('creates a slot whose exported snapshot another connection can take before start', async () => {
    const admin = await ReplicationStream.connect(config(cluster));
    const other = await sql(cluster);
    cleanups.push(() => dropSlotIfExists(db, 'snap_slot'), () => other.end(), () => admin.end());
    const slot = await admin.createSlot('snap_slot', { temporary: true });
    expect(slot.snapshotName).not.toBe('');
    expect(slot.outputPlugin).toBe('pgoutput');
    expect(slot.consistentPoint).toBeGreaterThan(0n);
    await other.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
    await other.query(`SET TRANSACTION SNAPSHOT '${slot.snapshotName}'`);
    await other.query('COMMIT');
    const { rows } = await db.query('SELECT temporary, plugin FROM pg_replication_slots WHERE slot_name = $1', ['snap_slot']);
    expect(rows).toEqual([{ temporary: true, plugin: 'pgoutput' }]);
  });

  it('streams begin, relation, insert, update, delete, truncate, message, commit in commit order', async () => {
    const { slot, pub, start } = await setup('seq', 'id int PRIMARY KEY, name text, note text');
    const rec = await stream(slot, start, pub);
    await db.query("INSERT INTO seq VALUES (1, 'a', 'x'), (2, 'b', NULL)");
    await db.query("UPDATE seq SET name = 'c' WHERE id = 1");
    await db.query('DELETE FROM seq WHERE id = 2');
    await db.query('TRUNCATE seq');
    await db.query("BEGIN; SELECT pg_logical_emit_message(true, 'pfx', 'hello'); INSERT INTO seq VALUES (3, 'd', 'y'); COMMIT");
    await db.query("SELECT pg_logical_emit_message(false, 'pfx', 'outside')");
    // Up to the last message; Postgres re-sends a Relation after any relcache invalidation of the
    // table (TRUNCATE's, but also an autoanalyze landing mid-transaction), so repeats of an
    // identical Relation are set aside before the sequence is compared.
    const all = await waitFor('the non-transactional message', () => (rec.messages.some((m) => m.tag === 'message' && !m.transactional) ? rec.messages.slice() : undefined));
    const sent = new Map<number, string>();
    const msgs = all.filter((m) => {
      if (m.tag !== 'relation') return true;
      const same = sent.get(m.relationId) === JSON.stringify(m);
      sent.set(m.relationId, JSON.stringify(m));
      return !same;
    });
    expect(all.filter((m) => m.tag === 'relation').length, 'a Relation re-sent after TRUNCATE (seen on 15)').toBeGreaterThan(1);
    const { rows } = await db.query<{ oid: number }>("SELECT 'seq'::regclass::oid AS oid");
    const relationId = Number(rows[0]!.oid);

    expect(msgs.map((m) => m.tag)).toEqual([
      'begin', 'relation', 'insert', 'insert', 'commit',
      'begin', 'update', 'commit',
      'begin', 'delete', 'commit',
      'begin', 'truncate', 'commit',
      'begin', 'message', 'insert', 'commit',
      'message',
    ]);
    expect(msgs[1]).toEqual({
      tag: 'relation', relationId, schema: 'public', name: 'seq', replicaIdentity: 'd',
      columns: [
        { flags: 1, name: 'id', typeId: 23, typeMod: -1 },
        { flags: 0, name: 'name', typeId: 25, typeMod: -1 },
        { flags: 0, name: 'note', typeId: 25, typeMod: -1 },
      ],
    });
    expect(msgs[2]).toEqual({ tag: 'insert', relationId, newTuple: [text('1'), text('a'), text('x')] });
    expect(msgs[3]).toEqual({ tag: 'insert', relationId, newTuple: [text('2'), text('b'), NULL] });
    expect(msgs[6]).toEqual({ tag: 'update', relationId, oldKind: null, oldTuple: null, newTuple: [text('1'), text('c'), text('x')] });
    expect(msgs[9]).toEqual({ tag: 'delete', relationId, oldKind: 'K', oldTuple: [text('2'), NULL, NULL] });
    expect(msgs[12]).toEqual({ tag: 'truncate', options: 0, relationIds: [relationId] });
    expect(msgs[15]).toMatchObject({ tag: 'message', transactional: true, prefix: 'pfx', content: Buffer.from('hello') });
    expect(msgs[16]).toEqual({ tag: 'insert', relationId, newTuple: [text('3'), text('d'), text('y')] });
    expect(msgs[18]).toMatchObject({ tag: 'message', transactional: false, prefix: 'pfx', content: Buffer.from('outside') });

    // Each Begin announces its Commit's LSN; commits come in increasing LSN order.
    const begins = msgs.filter((m): m is Extract<PgOutputMessage, { tag: 'begin' }> => m.tag === 'begin');
    const commits = msgs.filter((m): m is Extract<PgOutputMessage, { tag: 'commit' }> => m.tag === 'commit');
    expect(commits).toHaveLength(5);
    for (let i = 0; i < commits.length; i++) {
      expect(begins[i]!.finalLsn).toBe(commits[i]!.commitLsn);
      expect(commits[i]!.endLsn).toBeGreaterThan(commits[i]!.commitLsn);
      expect(begins[i]!.commitTime).toBe(commits[i]!.commitTime);
      if (i > 0) expect(commits[i]!.commitLsn).toBeGreaterThan(commits[i - 1]!.endLsn - 1n);
    }
    expect(commits[0]!.commitLsn).toBeGreaterThan(start);
    // Commit time is µs since 2000-01-01: within a minute of now.
    const nowUs = BigInt(Date.now()) * 1000n - 946_684_800_000_000n;
    expect(Number(nowUs - commits[0]!.commitTime)).toBeLessThan(60_000_000);
    expect(rec.errors).toEqual([]);
  });

  it('shows the full old row (O) with REPLICA IDENTITY FULL', async () => {
    const { slot, pub, start } = await setup('full_id', 'id int PRIMARY KEY, name text');
    await db.query('ALTER TABLE full_id REPLICA IDENTITY FULL');
    const rec = await stream(slot, start, pub);
    await db.query("INSERT INTO full_id VALUES (1, 'before')");
    await db.query("UPDATE full_id SET name = 'after' WHERE id = 1");
    await db.query('DELETE FROM full_id');
    const msgs = await rec.take(10);
    expect(msgs[1]).toMatchObject({ tag: 'relation', replicaIdentity: 'f' });
    expect(msgs[5]).toMatchObject({ tag: 'update', oldKind: 'O', oldTuple: [text('1'), text('before')], newTuple: [text('1'), text('after')] });
    expect(msgs[8]).toMatchObject({ tag: 'delete', oldKind: 'O', oldTuple: [text('1'), text('after')] });
  });

  it('decodes an untouched out-of-line TOAST column as unchanged-toast', async () => {
    const { slot, pub, start } = await setup('toasty', 'id int PRIMARY KEY, big text, small text');
    // EXTERNAL: stored out of line uncompressed, so a repetitive value is really TOASTed.
    await db.query('ALTER TABLE toasty ALTER COLUMN big SET STORAGE EXTERNAL');
    const rec = await stream(slot, start, pub);
    await db.query("INSERT INTO toasty VALUES (1, repeat('x', 20000), 'a')");
    await db.query("UPDATE toasty SET small = 'b' WHERE id = 1");
    const msgs = await rec.take(7);
    expect(msgs[2]).toMatchObject({ tag: 'insert', newTuple: [text('1'), text('x'.repeat(20000)), text('a')] });
    expect(msgs[5]).toEqual(expect.objectContaining({ tag: 'update', oldKind: null, newTuple: [text('1'), { kind: 'unchanged-toast' }, text('b')] }));
  });

  it('moves confirmed_flush_lsn to exactly the LSN given to sendStatus', async () => {
    const { slot, pub, start } = await setup('acked', 'id int PRIMARY KEY');
    const rec = await stream(slot, start, pub);
    await db.query('INSERT INTO acked VALUES (1)');
    const commit = (await rec.take(4))[3]!;
    expect(commit.tag).toBe('commit');
    const endLsn = (commit as Extract<PgOutputMessage, { tag: 'commit' }>).endLsn;
    rec.ackLsn = endLsn;
    rec.stream.sendStatus(endLsn);
    await waitFor(`confirmed_flush_lsn = ${formatLsn(endLsn)}`, async () => ((await confirmedFlush(db, slot)) === formatLsn(endLsn) ? true : undefined));
  });

  it('never moves confirmed_flush_lsn by itself during 12 s of streaming and keepalives', async () => {
    const { slot, pub } = await setup('unacked', 'id int PRIMARY KEY');
    const initial = await confirmedFlush(db, slot);
    const rec = await stream(slot, parseLsn(initial!), pub);
    const seen = new Set<string | null>();
    for (let i = 0; i < 24; i++) {
      await db.query('INSERT INTO unacked VALUES ($1)', [i]);
      await new Promise((r) => setTimeout(r, 500));
      seen.add(await confirmedFlush(db, slot));
    }
    expect([...seen]).toEqual([initial]);
    // The server did ask, and the stream passed the question on instead of answering itself.
    expect(rec.keepalives.some((k) => k.replyRequested)).toBe(true);
    expect(rec.messages.filter((m) => m.tag === 'insert')).toHaveLength(24);
    expect(rec.errors).toEqual([]);
  }, 30_000);

  it('pause() stops delivery until resume()', async () => {
    const { slot, pub, start } = await setup('paused', 'id int PRIMARY KEY');
    const rec = await stream(slot, start, pub);
    await db.query('INSERT INTO paused VALUES (1)');
    await rec.take(4);
    rec.stream.pause();
    await db.query('INSERT INTO paused VALUES (2)');
    await new Promise((r) => setTimeout(r, 1000));
    expect(rec.messages).toHaveLength(4);
    rec.stream.resume();
    const msgs = await rec.take(7);
    expect(msgs[5]).toMatchObject({ tag: 'insert', newTuple: [text('2')] });
  });

  it('end() finishes COPY cleanly and releases the slot', async () => {
    const { slot, pub, start } = await setup('ended', 'id int PRIMARY KEY');
    const rec = await stream(slot, start, pub);
    let ended = false;
    rec.stream.on('end', () => (ended = true));
    await db.query('INSERT INTO ended VALUES (1)');
    await rec.take(4);
    const t0 = Date.now();
    await rec.stream.end();
    expect(Date.now() - t0).toBeLessThan(5000);
    await waitFor('end event', () => (ended ? true : undefined));
    expect(rec.errors).toEqual([]);
    await waitFor('slot inactive', async () => {
      const { rows } = await db.query('SELECT active FROM pg_replication_slots WHERE slot_name = $1', [slot]);
      return rows[0]?.active === false ? true : undefined;
    });
    // A second end() is harmless; the slot can be dropped through the replication protocol.
    await rec.stream.end();
    const admin = await ReplicationStream.connect(config(cluster));
    await admin.dropSlot(slot);
    await admin.end();
    const { rowCount } = await db.query('SELECT 1 FROM pg_replication_slots WHERE slot_name = $1', [slot]);
    expect(rowCount).toBe(0);
  });
});
