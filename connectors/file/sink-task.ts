/**
 * Appends each record's value as a line. Each put is written with one write call, so what put
 * returned from is in the file (the OS page cache) before its offsets can be committed.
 */
import { openSync, closeSync, writeSync, fsyncSync } from 'node:fs';
import { SinkTask, type SinkRecord } from '../../runtime/api/index.js';
import { FILE_CONFIG, sinkSpec } from './config.js';
import { VERSION } from './version.js';

export class FileStreamSinkTask extends SinkTask {
  private fd: number | null = null;
  private toStdout = false;

  version(): string {
    return VERSION;
  }

  start(props: Record<string, string>): void {
    const file = sinkSpec().parse(props, 'FileStreamSinkTask').getString(FILE_CONFIG);
    if (!file) this.toStdout = true;
    else this.fd = openSync(file, 'a');
  }

  put(records: SinkRecord[]): void {
    if (records.length === 0) return;
    let text = '';
    for (const r of records) text += `${valueText(r.value)}\n`;
    if (this.toStdout) process.stdout.write(text);
    else writeAll(this.fd!, Buffer.from(text, 'utf8'));
  }

  override flush(): void {
    if (this.fd !== null) fsyncSync(this.fd);
  }

  stop(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

function writeAll(fd: number, data: Buffer): void {
  let off = 0;
  while (off < data.length) off += writeSync(fd, data, off);
}

/** The text of a value as Kafka's sink prints it: strings as they are, null as "null". */
function valueText(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return `[B@${value.length}`;
  if (value instanceof Map) return `{${[...value].map(([k, v]) => `${String(k)}=${valueText(v)}`).join(', ')}}`;
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return `{${Object.entries(value).map(([k, v]) => `${k}=${valueText(v)}`).join(', ')}}`;
  }
  return String(value);
}
