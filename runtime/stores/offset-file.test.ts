/**
 * Kafka standalone's offset file beside the offset topic, on a real embedded log: what another
 * process wrote is imported once, and the file follows the store. (Debezium's own engine reads and
 * writes the same file in test/postgres-cdc/debezium-migration.test.ts.)
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openEmbeddedLog, type EmbeddedLog } from '../log/embedded/log.js';
import { readByteMap, writeByteMap } from './java-byte-map.js';
import { OffsetFileMirror } from './offset-file.js';
import { OffsetStore } from './offset-store.js';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function newDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'tsconnect-offset-file-'));
  cleanup.push(() => rm(d, { recursive: true, force: true }));
  return d;
}

/** A worker's stores and mirror on the log in `dir`, as standalone.ts starts them. */
async function startAt(dir: string, file: string): Promise<{ store: OffsetStore; mirror: OffsetFileMirror; stop(): Promise<void> }> {
  const log: EmbeddedLog = openEmbeddedLog(join(dir, 'log'), { cleanerIntervalMs: 0 });
  const store = new OffsetStore(log, 'connect-offsets', 5);
  const mirror = new OffsetFileMirror(store, file, join(dir, 'log'));
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await mirror.stop();
    await store.stop();
    await log.close();
  };
  cleanup.push(stop);
  await store.start();
  await mirror.start();
  return { store, mirror, stop };
}

const kafkaFile = (entries: Array<[string, string | null]>) => writeByteMap(entries.map(([k, v]) => [Buffer.from(k), v === null ? null : Buffer.from(v)]));
async function fileEntries(file: string): Promise<Record<string, unknown>> {
  return Object.fromEntries(readByteMap(await readFile(file)).map(([k, v]) => [Buffer.from(k!).toString(), v === null ? null : JSON.parse(Buffer.from(v).toString())]));
}

describe('offset.storage.file.filename', () => {
  it("imports the offsets Kafka Connect left in its file, then keeps the file in step", async () => {
    const dir = await newDir();
    const file = join(dir, 'connect.offsets');
    await writeFile(file, kafkaFile([
      ['["inventory",{"server":"inventory"}]', '{"lsn_proc":2200,"lsn_commit":2100,"lsn":2200,"txId":736,"ts_usec":1}'],
      ['["files",{"filename":"/data/in.txt"}]', '{"position":42}'],
      ['["reset",{"filename":"/x"}]', null],
    ]));
    const w = await startAt(dir, file);
    expect(w.store.get('inventory', { server: 'inventory' })).toEqual({ lsn_proc: 2200, lsn_commit: 2100, lsn: 2200, txId: 736, ts_usec: 1 });
    expect(w.store.get('files', { filename: '/data/in.txt' })).toEqual({ position: 42 });
    expect(w.store.get('reset', { filename: '/x' })).toBeNull();
    // A commit rewrites the file with every stored offset (a deleted one is left out).
    await w.store.write('files', [[{ filename: '/data/in.txt' }, { position: 99 }]]);
    await w.mirror.stop();
    expect(await fileEntries(file)).toEqual({
      '["inventory",{"server":"inventory"}]': { lsn_proc: 2200, lsn_commit: 2100, lsn: 2200, txId: 736, ts_usec: 1 },
      '["files",{"filename":"/data/in.txt"}]': { position: 99 },
    });
  });

  it('does not import its own file again; a file changed by someone else wins over the topic', async () => {
    const dir = await newDir();
    const file = join(dir, 'connect.offsets');
    let w = await startAt(dir, file);
    await w.store.write('files', [[{ filename: '/in' }, { position: 10 }]]);
    await w.stop();
    // Restarted on the file it wrote itself: nothing imported, the topic's offset stands.
    w = await startAt(dir, file);
    expect(w.store.get('files', { filename: '/in' })).toEqual({ position: 10 });
    await w.stop();
    // Kafka Connect ran in between and moved on.
    await writeFile(file, kafkaFile([['["files",{"filename":"/in"}]', '{"position":25}']]));
    w = await startAt(dir, file);
    expect(w.store.get('files', { filename: '/in' })).toEqual({ position: 25 });
    await w.stop();
    // A new log (its directory removed) takes the file, which holds the latest offsets.
    await rm(join(dir, 'log'), { recursive: true, force: true });
    w = await startAt(dir, file);
    expect(w.store.get('files', { filename: '/in' })).toEqual({ position: 25 });
  });

  it('takes a file it stopped writing half way (the state written, the rename not done) for its own', async () => {
    const dir = await newDir();
    const file = join(dir, 'connect.offsets');
    let w = await startAt(dir, file);
    await w.store.write('files', [[{ filename: '/in' }, { position: 1 }]]);
    await w.stop();
    const before = await readFile(file);
    w = await startAt(dir, file);
    await w.store.write('files', [[{ filename: '/in' }, { position: 2 }]]);
    await w.stop();
    // As if the worker died after recording the new content and before renaming it into place.
    await writeFile(file, before);
    w = await startAt(dir, file);
    expect(w.store.get('files', { filename: '/in' })).toEqual({ position: 2 });
  });

  it('refuses a file that is not Kafka Connect\'s, naming it and the entry', async () => {
    const dir = await newDir();
    const file = join(dir, 'connect.offsets');
    await writeFile(file, '{"this":"is json"}');
    await expect(startAt(dir, file)).rejects.toThrow(`offset.storage.file.filename ${file} is not a Kafka Connect offset file: not a Java serialization stream`);
    await writeFile(file, kafkaFile([['["ok",{"p":1}]', '{"o":1}'], ['"not a list"', '{"o":2}']]));
    await expect(startAt(dir, file)).rejects.toThrow(`offset.storage.file.filename ${file}, entry 2: the key "not a list" is not ["<connector>",{<partition>}]`);
    await writeFile(file, kafkaFile([['["ok",{"p":1}]', '{"o":']]));
    await expect(startAt(dir, file)).rejects.toThrow(`offset.storage.file.filename ${file}, entry 1 value is not JSON`);
  });
});
