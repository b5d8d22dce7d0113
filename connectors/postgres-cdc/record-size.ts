/**
 * A record's approximate size in memory, for max.queue.size.in.bytes: the bytes its key and value
 * hold (string characters, binary lengths, 8 per number), plus a fixed share for the objects around
 * them. Only the order of magnitude matters: it decides when the queue stops taking wide rows.
 */
import { Struct, type SourceRecord } from '../../runtime/api/index.js';
import { ChangeEvent } from './events.js';

/**
 * The SourceRecord, its offset maps and the envelope's own objects. Measured with V8's heap: an
 * insert event of (bigint, int, short text) holds about 1,040 bytes (estimated 1,020), one of the
 * bench's 1 KB rows about 2,500 (estimated 2,160).
 */
const RECORD_OVERHEAD = 650;

export function approximateRecordBytes(record: SourceRecord): number {
  return RECORD_OVERHEAD + valueBytes(record.key) + valueBytes(record.value);
}

function valueBytes(v: unknown): number {
  if (v === null || v === undefined) return 0;
  switch (typeof v) {
    case 'string': return 16 + v.length;
    case 'number': case 'bigint': return 8;
    case 'boolean': return 4;
    default: break;
  }
  if (v instanceof Struct) {
    // An event not built yet (events.ts) is counted without building it.
    const source = v.source;
    if (source instanceof ChangeEvent) return source.approximateBytes();
    let n = 16;
    const fields = v.schema.fields().length;
    for (let i = 0; i < fields; i++) n += valueBytes(v.valueAt(i));
    return n;
  }
  if (v instanceof Uint8Array) return 96 + v.byteLength; // a Buffer's objects, then its bytes
  if (Array.isArray(v)) {
    let n = 16;
    for (const e of v) n += valueBytes(e);
    return n;
  }
  if (v instanceof Map) {
    let n = 16;
    for (const [k, e] of v) n += valueBytes(k) + valueBytes(e);
    return n;
  }
  return 32; // a Decimal, Date or other small object
}
