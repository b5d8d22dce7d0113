/**
 * Kafka Connect standalone's offset file (`offset.storage.file.filename`), kept beside the offset
 * topic so a worker moves between Kafka Connect and tsconnect with its connectors' positions:
 * - at start, a file some other process wrote since tsconnect last wrote or read it (Kafka Connect,
 *   Debezium's embedded engine) is imported: its offsets replace the stored ones they differ from;
 * - after each offset write, and before the task is told the offsets are stored, the file is
 *   rewritten with every stored offset, as Kafka's FileOffsetBackingStore rewrites it on each flush.
 * "Last written or read" is the file's SHA-256, kept in the embedded log's directory: a new log
 * (a deleted directory) imports the file again, which then holds the latest offsets. The state
 * names the file's last two contents and is written before the file is renamed into place, so a
 * crash between the two never takes tsconnect's own file for someone else's.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { getLogger } from '../api/logger.js';
import type { SourceMap } from '../api/records.js';
import { readByteMap, writeByteMap, type ByteMap } from './java-byte-map.js';
import { canonical, type OffsetStore } from './offset-store.js';

const log = getLogger('stores.offset-file');
const decoder = new TextDecoder('utf-8', { fatal: true });

interface FileEntry {
  connector: string;
  partition: SourceMap;
  offset: SourceMap | null;
}

export class OffsetFileMirror {
  private readonly file: string;
  private readonly stateFile: string;
  private saving: Promise<void> = Promise.resolve();
  private dirty = false;
  /** The SHA-256 of the file as it is now (read at start, then each one written); null before it exists. */
  private fileSha: string | null = null;

  constructor(
    private readonly store: OffsetStore,
    file: string,
    stateDir: string,
  ) {
    this.file = resolve(file);
    this.stateFile = join(stateDir, 'offset-file.json');
  }

  /** Imports what another process wrote to the file, then writes the file and follows the store. */
  async start(): Promise<void> {
    if (existsSync(this.file)) await this.importChanged();
    await this.save();
    this.store.onWrite = () => this.requestSave();
  }

  /** Waits for the last rewrite (at shutdown). */
  async stop(): Promise<void> {
    this.store.onWrite = null;
    await this.saving;
  }

  private async importChanged(): Promise<void> {
    const bytes = await readFile(this.file);
    this.fileSha = sha256(bytes);
    if ((await this.ownShas()).includes(this.fileSha)) return;
    const entries = parseFile(bytes, this.file);
    const byConnector = new Map<string, Array<[SourceMap, SourceMap | null]>>();
    for (const e of entries) {
      const current = this.store.get(e.connector, e.partition);
      if (canonical(current) === canonical(e.offset)) continue;
      const list = byConnector.get(e.connector) ?? [];
      list.push([e.partition, e.offset]);
      byConnector.set(e.connector, list);
    }
    for (const [connector, list] of byConnector) {
      await this.store.write(connector, list);
      log.info(`imported ${list.length} offset(s) of connector '${connector}' from ${this.file} (written by Kafka Connect or another runtime since tsconnect last wrote it): ${list.map(([p, o]) => `${JSON.stringify(p)} -> ${JSON.stringify(o)}`).join('; ')}`);
    }
    if (byConnector.size === 0) log.info(`${this.file}: no offset differs from the stored ones`);
  }

  /**
   * One rewrite at a time; writes while one waits are folded into it. A file that cannot be written
   * is logged, not thrown: the offset topic holds the offsets either way.
   */
  private requestSave(): Promise<void> {
    if (this.dirty) return this.saving;
    this.dirty = true;
    this.saving = this.saving.then(() => this.save()).catch((e: Error) => log.error(`could not write the offset file ${this.file}: ${e.message}`));
    return this.saving;
  }

  private async save(): Promise<void> {
    this.dirty = false;
    const entries: ByteMap = this.store.all().map(({ connector, partition, offset }) => [Buffer.from(JSON.stringify([connector, partition])), Buffer.from(JSON.stringify(offset))]);
    const bytes = writeByteMap(entries);
    const sha = sha256(bytes);
    const previous = this.fileSha;
    await mkdir(dirname(this.stateFile), { recursive: true });
    await writeFile(this.stateFile, JSON.stringify({ file: this.file, sha256: [sha, ...(previous && previous !== sha ? [previous] : [])] }));
    await mkdir(dirname(this.file), { recursive: true });
    // Renamed into place: Kafka Connect reading it later never sees half a file.
    const tmp = `${this.file}.tmp-${process.pid}`;
    await writeFile(tmp, bytes);
    await rename(tmp, this.file);
    this.fileSha = sha;
  }

  /** The contents tsconnect wrote last (and the one before, in case it stopped between state and file). */
  private async ownShas(): Promise<string[]> {
    if (!existsSync(this.stateFile)) return [];
    try {
      const state = JSON.parse(await readFile(this.stateFile, 'utf8')) as { file?: string; sha256?: string[] };
      return state.file === this.file && Array.isArray(state.sha256) ? state.sha256 : [];
    } catch {
      return [];
    }
  }
}

/** The file's offsets; an entry that is not Kafka Connect's is an error naming the file and the entry. */
export function parseFile(bytes: Uint8Array, file: string): FileEntry[] {
  // An empty file is an empty map (Kafka starts from one too).
  if (bytes.length === 0) return [];
  let map: ByteMap;
  try {
    map = readByteMap(bytes);
  } catch (e) {
    throw new Error(`offset.storage.file.filename ${file} is not a Kafka Connect offset file: ${(e as Error).message}`);
  }
  return map.map(([key, value], i) => {
    const where = `offset.storage.file.filename ${file}, entry ${i + 1}`;
    const keyText = key === null ? null : text(key, where);
    const parsedKey = keyText === null ? null : json(keyText, `${where} key`);
    if (!Array.isArray(parsedKey) || parsedKey.length !== 2 || typeof parsedKey[0] !== 'string' || typeof parsedKey[1] !== 'object' || parsedKey[1] === null) {
      throw new Error(`${where}: the key ${keyText?.slice(0, 200)} is not ["<connector>",{<partition>}]`);
    }
    const offset = value === null ? null : json(text(value, where), `${where} value`);
    if (offset !== null && (typeof offset !== 'object' || Array.isArray(offset))) throw new Error(`${where}: the offset of ${keyText} is not a JSON object`);
    return { connector: parsedKey[0], partition: parsedKey[1] as SourceMap, offset: offset as SourceMap | null };
  });
}

function text(bytes: Uint8Array, where: string): string {
  try {
    return decoder.decode(bytes);
  } catch {
    throw new Error(`${where}: not UTF-8 text`);
  }
}

function json(textValue: string, where: string): unknown {
  try {
    return JSON.parse(textValue);
  } catch (e) {
    throw new Error(`${where} is not JSON (${(e as Error).message}): ${textValue.slice(0, 200)}`);
  }
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
