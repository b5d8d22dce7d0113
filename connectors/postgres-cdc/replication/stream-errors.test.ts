/** How ReplicationStream reports the server's refusals and a server restart. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PostgresCluster } from '../../../test/harness/postgres.js';
import { ReplicationStream } from './stream.js';
import { config, dropSlotIfExists, record, sql, waitFor } from './test-helpers.js';

let cluster: PostgresCluster;
let db: pg.Client;
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  cluster = await startPostgres();
  db = await sql(cluster);
  await db.query('CREATE PUBLICATION err_pub FOR ALL TABLES');
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
afterAll(async () => {
  await db?.end();
  await cluster?.stop();
});

const options = { proto_version: '1', publication_names: 'err_pub' };
const ignore = () => {};

async function connect(): Promise<ReplicationStream> {
  const s = await ReplicationStream.connect(config(cluster));
  cleanups.push(() => s.end());
  return s;
}

describe('ReplicationStream errors', () => {
  it('rejects start on a missing slot with the server message, and stays usable', async () => {
    const s = await connect();
    await expect(s.start('no_such_slot', 0n, options, ignore, ignore)).rejects.toThrow('replication slot "no_such_slot" does not exist');
    expect((await s.identifySystem()).dbName).toBe('postgres');
  });

  it('rejects start on a slot another connection is streaming from', async () => {
    const admin = await connect();
    const { consistentPoint } = await admin.createSlot('busy_slot');
    cleanups.push(() => dropSlotIfExists(db, 'busy_slot'));
    const first = await record(cluster, 'busy_slot', consistentPoint, 'err_pub');
    cleanups.push(() => first.stream.end());
    const second = await connect();
    await expect(second.start('busy_slot', consistentPoint, options, ignore, ignore)).rejects.toThrow(/replication slot "busy_slot" is active for PID \d+/);
  });

  it('rejects a duplicate slot name and an invalid one', async () => {
    const admin = await connect();
    await admin.createSlot('dup_slot', { temporary: true });
    await expect(admin.createSlot('dup_slot')).rejects.toThrow('replication slot "dup_slot" already exists');
    await expect(admin.createSlot('Bad-Name')).rejects.toThrow("Invalid replication slot name 'Bad-Name'");
  });

  it('refuses a role without REPLICATION with the server message', async () => {
    await db.query("CREATE ROLE norepl LOGIN PASSWORD 'norepl'");
    cleanups.push(() => db.query('DROP ROLE norepl'));
    await expect(ReplicationStream.connect({ ...config(cluster), user: 'norepl', password: 'norepl' })).rejects.toThrow(
      /must be superuser or replication role|permission denied to start WAL sender/,
    );
  });

  it('refuses commands while streaming and status updates while not', async () => {
    const s = await connect();
    expect(() => s.sendStatus(1n)).toThrow('Cannot send a status update: the replication stream is idle');
    const { consistentPoint } = await s.createSlot('state_slot', { temporary: true });
    await s.start('state_slot', consistentPoint, options, ignore, ignore);
    await expect(s.identifySystem()).rejects.toThrow('Cannot run IDENTIFY_SYSTEM: the replication stream is streaming');
  });

  it('reports a missing publication, found when the first change is decoded, as an error', async () => {
    await db.query('CREATE TABLE nopub (id int)');
    cleanups.push(() => db.query('DROP TABLE nopub'));
    const s = await connect();
    const { consistentPoint } = await s.createSlot('nopub_slot', { temporary: true });
    const errors: Error[] = [];
    s.on('error', (e) => errors.push(e));
    await s.start('nopub_slot', consistentPoint, { proto_version: '1', publication_names: 'no_such_pub' }, ignore, ignore);
    await db.query('INSERT INTO nopub VALUES (1)');
    await waitFor('the publication error', () => (errors.length ? true : undefined));
    expect(errors[0]!.message).toBe('publication "no_such_pub" does not exist');
    await new Promise((r) => setTimeout(r, 200));
    expect(errors).toHaveLength(1);
  });

  it('emits one error when a handler throws, and stops delivering', async () => {
    await db.query('CREATE TABLE throwing (id int)');
    cleanups.push(() => db.query('DROP TABLE throwing'));
    // A temporary slot belongs to the connection that made it: stream on that one.
    const s = await connect();
    const { consistentPoint } = await s.createSlot('throw_slot', { temporary: true });
    const errors: Error[] = [];
    let calls = 0;
    s.on('error', (e) => errors.push(e));
    await s.start('throw_slot', consistentPoint, options, () => {
      calls++;
      throw new Error('queue broke');
    }, ignore);
    await db.query('INSERT INTO throwing VALUES (1), (2), (3)');
    await waitFor('the handler error', () => (errors.length ? true : undefined));
    await new Promise((r) => setTimeout(r, 300));
    expect(errors.map((e) => e.message)).toEqual(['queue broke']);
    expect(calls).toBe(1);
    await s.end();
  });

  it('reports a terminated walsender as one error with the server message, then end', async () => {
    const admin = await connect();
    const { consistentPoint } = await admin.createSlot('killed_slot');
    cleanups.push(() => dropSlotIfExists(db, 'killed_slot'));
    const rec = await record(cluster, 'killed_slot', consistentPoint, 'err_pub');
    cleanups.push(() => rec.stream.end());
    let ended = false;
    rec.stream.on('end', () => (ended = true));
    await db.query("SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = 'killed_slot'");
    await waitFor('end event', () => (ended ? true : undefined));
    expect(rec.errors.map((e) => e.message)).toEqual(['terminating connection due to administrator command']);
  });

  // Last: it stops and starts the cluster under everyone.
  it('lets a fast shutdown finish once the caller acknowledged all it was sent, then reports error and end', async () => {
    const admin = await connect();
    const { consistentPoint } = await admin.createSlot('restart_slot');
    cleanups.push(() => dropSlotIfExists(db, 'restart_slot'));
    await admin.end();
    const rec = await record(cluster, 'restart_slot', consistentPoint, 'err_pub', true);
    cleanups.push(() => rec.stream.end());
    let ended = false;
    rec.stream.on('end', () => (ended = true));
    await db.end();
    const t0 = Date.now();
    try {
      // Not cluster.restart(): its synchronous pg_ctl would block this event loop, and the
      // walsender waits in shutdown for the client to confirm everything it sent.
      await pgCtl(['stop', '-m', 'fast', '-w', '-t', '20']);
      const stopMs = Date.now() - t0;
      await waitFor('end event', () => (ended ? true : undefined));
      expect(stopMs).toBeLessThan(10_000);
      expect(rec.errors.map((e) => e.message)).toEqual(['Connection terminated unexpectedly']);
    } finally {
      await pgCtl(['start', '-w', '-t', '60', '-l', join(cluster.dataDir, '..', 'server.log')]);
      db = await sql(cluster);
    }
  });
});

/** pg_ctl without blocking the event loop, as the OS user that owns the cluster. */
function pgCtl(args: string[]): Promise<void> {
  const bin = join(cluster.binDir, 'pg_ctl');
  const full = [...args, '-D', cluster.dataDir];
  const asRoot = process.getuid?.() === 0;
  const child = asRoot ? spawn('runuser', ['-u', 'postgres', '--', bin, ...full]) : spawn(bin, full);
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`pg_ctl ${args.join(' ')} failed: ${out}`))));
  });
}
