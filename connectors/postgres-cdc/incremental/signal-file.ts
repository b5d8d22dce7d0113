/**
 * Debezium's file signal channel (`signal.enabled.channels` with `file`): users append signals to
 * `signal.file`, one JSON object a line, `{"id": ..., "type": ..., "data": {...}}`; each read takes
 * every line there and empties the file, as Debezium's FileSignalChannel does. A line that is not
 * such an object is skipped with a warning naming the file and line.
 */
import { readFile, stat, truncate } from 'node:fs/promises';
import { getLogger } from '../../../runtime/api/index.js';

const log = getLogger('connectors.postgres-cdc');

export interface SignalLine {
  id: string;
  type: string;
  data: string | null;
}

export class SignalFile {
  constructor(readonly path: string) {}

  /** The signals written since the last read; the file is emptied. No file: none. */
  async read(): Promise<SignalLine[]> {
    let text: string;
    for (;;) {
      try {
        if (!(await stat(this.path)).isFile()) return [];
        text = await readFile(this.path, 'utf8');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw new Error(`Failed to read signal file ${this.path}: ${(e as Error).message}`);
      }
      if (text === '') return [];
      // Emptied only if nothing was appended since the read; otherwise read it again, so a signal
      // written in between is not cut away unread.
      if ((await stat(this.path)).size === Buffer.byteLength(text)) break;
    }
    await truncate(this.path, 0);
    const out: SignalLine[] = [];
    text.split('\n').forEach((line, i) => {
      if (line.trim() === '') return;
      const signal = parseLine(line);
      if (typeof signal === 'string') log.warn(`signal file ${this.path}: line ${i + 1} skipped: ${signal}: ${line}`);
      else out.push(signal);
    });
    return out;
  }
}

/** One line as Debezium reads it: `id` and `type` as text, `data` as the JSON text of its value. */
export function parseLine(line: string): SignalLine | string {
  let node: unknown;
  try {
    node = JSON.parse(line);
  } catch (e) {
    return `not JSON (${(e as Error).message})`;
  }
  if (!node || typeof node !== 'object' || Array.isArray(node)) return 'not a JSON object';
  const o = node as Record<string, unknown>;
  if (o.id === undefined || o.type === undefined) return 'it needs "id" and "type"';
  const text = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
  return { id: text(o.id), type: text(o.type), data: o.data === undefined || o.data === null ? null : typeof o.data === 'string' ? o.data : JSON.stringify(o.data) };
}
