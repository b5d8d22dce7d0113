/**
 * Reads lines from a file from the stored byte position on, and keeps tailing it. Each record's
 * offset is the position after its line, so a restart resumes at the first line not yet stored.
 * Lines end with \n, \r\n or \r; a last line without its end is held back until it is complete.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { Schemas, SourceRecord, SourceTask, getLogger } from '../../runtime/api/index.js';
import { BATCH_SIZE_CONFIG, FILE_CONFIG, TOPIC_CONFIG, sourceSpec } from './config.js';
import { VERSION } from './version.js';

export const PARTITION_FIELD = 'filename';
export const OFFSET_FIELD = 'position';
const CHUNK = 256 * 1024;
const IDLE_WAIT_MS = 250;
const log = getLogger('connectors.file.source');

export class FileStreamSourceTask extends SourceTask {
  private file: string | null = null;
  private topic = '';
  private batchSize = 2000;
  private handle: FileHandle | null = null;
  private stdin: AsyncIterator<Buffer> | null = null;
  /** Byte position in the file of `buffer[0]`. */
  private position = 0;
  private buffer: Buffer = Buffer.alloc(0);
  private stopped = false;
  private wakeIdle: (() => void) | null = null;

  version(): string {
    return VERSION;
  }

  async start(props: Record<string, string>): Promise<void> {
    const config = sourceSpec().parse(props, 'FileStreamSourceTask');
    this.file = config.getString(FILE_CONFIG) || null;
    this.topic = config.getList(TOPIC_CONFIG)[0]!;
    this.batchSize = config.getInt(BATCH_SIZE_CONFIG);
    if (this.file === null) {
      this.stdin = process.stdin[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
      return;
    }
    const stored = await this.context.offsetStorageReader.offset({ [PARTITION_FIELD]: this.file });
    const pos = stored?.[OFFSET_FIELD];
    if (pos !== undefined && pos !== null) {
      if (typeof pos !== 'number' || !Number.isInteger(pos) || pos < 0) throw new Error(`stored offset of ${this.file} has a bad '${OFFSET_FIELD}': ${JSON.stringify(pos)}`);
      this.position = pos;
      log.info(`Found previous offset, trying to skip to file offset ${pos}`);
    }
  }

  async poll(): Promise<SourceRecord[] | null> {
    if (this.stopped) return null;
    const records = this.takeLines();
    if (records.length > 0) return records;
    const got = await this.readMore();
    if (!got) {
      await new Promise<void>((r) => {
        const t = setTimeout(r, IDLE_WAIT_MS);
        this.wakeIdle = () => {
          clearTimeout(t);
          r();
        };
      });
      this.wakeIdle = null;
      return null;
    }
    return this.takeLines();
  }

  stop(): void {
    this.stopped = true;
    this.wakeIdle?.();
    void this.handle?.close().catch(() => undefined);
    this.handle = null;
  }

  /** Appends the next chunk of input to the buffer; false when there is nothing new. */
  private async readMore(): Promise<boolean> {
    if (this.stdin) {
      const next = await this.stdin.next();
      if (next.done) {
        this.stopped = true;
        return false;
      }
      this.buffer = this.buffer.length ? Buffer.concat([this.buffer, next.value]) : next.value;
      return true;
    }
    if (!this.handle) {
      try {
        this.handle = await open(this.file!, 'r');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
          log.warn(`Couldn't find file ${this.file} for FileStreamSourceTask, sleeping to wait for it to be created`);
          return false;
        }
        throw e;
      }
    }
    const chunk = Buffer.allocUnsafe(CHUNK);
    const from = this.position + this.buffer.length;
    const { bytesRead } = await this.handle.read(chunk, 0, CHUNK, from);
    if (bytesRead === 0) return false;
    const data = chunk.subarray(0, bytesRead);
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, data]) : data;
    return true;
  }

  private takeLines(): SourceRecord[] {
    const out: SourceRecord[] = [];
    const buf = this.buffer;
    let start = 0;
    const partition = this.file === null ? null : { [PARTITION_FIELD]: this.file };
    // Files rarely hold \r: look for the next one once and reuse the answer until it is passed,
    // or every line would rescan the rest of the buffer.
    let cr = buf.indexOf(13, start);
    while (out.length < this.batchSize) {
      const lf = buf.indexOf(10, start);
      if (cr !== -1 && cr < start) cr = buf.indexOf(13, start);
      let end: number;
      let next: number;
      if (cr !== -1 && (lf === -1 || cr < lf)) {
        // A \r at the very end may be the first half of \r\n: wait for the next byte.
        if (cr + 1 >= buf.length && !this.stopped) break;
        end = cr;
        next = buf[cr + 1] === 10 ? cr + 2 : cr + 1;
      } else if (lf !== -1) {
        end = lf;
        next = lf + 1;
      } else {
        break;
      }
      const line = buf.toString('utf8', start, end);
      start = next;
      out.push(
        new SourceRecord({
          sourcePartition: partition,
          sourceOffset: partition ? { [OFFSET_FIELD]: this.position + start } : null,
          topic: this.topic,
          valueSchema: Schemas.STRING,
          value: line,
        }),
      );
    }
    if (start > 0) {
      this.position += start;
      this.buffer = buf.subarray(start);
    }
    return out;
  }
}
