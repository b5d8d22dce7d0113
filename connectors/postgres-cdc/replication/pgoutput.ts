/**
 * Decoder of the pgoutput plugin's messages, protocol_version 1 (what a walsender sends inside each
 * XLogData payload when START_REPLICATION names `proto_version '1'`). Byte layouts follow the
 * Postgres docs, "Logical Replication Message Formats".
 *
 * Returned objects own their data: strings are decoded and Buffers are copied, so a message may
 * be kept after the input buffer (often a view into node-postgres's reusable read buffer) changes.
 */
import type { Lsn } from './lsn.js';

export interface RelationColumn {
  /** 1 = part of the replica identity key. */
  flags: number;
  name: string;
  typeId: number;
  typeMod: number;
}

export type TupleValue =
  | { kind: 'null' }
  | { kind: 'unchanged-toast' }
  | { kind: 'text'; text: string }
  | { kind: 'binary'; data: Buffer };

export type ReplicaIdentity = 'd' | 'n' | 'f' | 'i';

export type PgOutputMessage =
  | { tag: 'begin'; finalLsn: Lsn; commitTime: bigint; xid: number }
  | { tag: 'commit'; flags: number; commitLsn: Lsn; endLsn: Lsn; commitTime: bigint }
  | { tag: 'relation'; relationId: number; schema: string; name: string; replicaIdentity: ReplicaIdentity; columns: RelationColumn[] }
  | { tag: 'type'; typeId: number; schema: string; name: string }
  | { tag: 'insert'; relationId: number; newTuple: TupleValue[] }
  | { tag: 'update'; relationId: number; oldKind: 'K' | 'O' | null; oldTuple: TupleValue[] | null; newTuple: TupleValue[] }
  | { tag: 'delete'; relationId: number; oldKind: 'K' | 'O'; oldTuple: TupleValue[] }
  | { tag: 'truncate'; options: number; relationIds: number[] }
  | { tag: 'message'; transactional: boolean; lsn: Lsn; prefix: string; content: Buffer }
  | { tag: 'origin'; lsn: Lsn; name: string };

/** Truncate option bits. */
export const TRUNCATE_CASCADE = 1;
export const TRUNCATE_RESTART_IDENTITY = 2;

// Shared so that null and unchanged values cost no allocation; frozen so no caller can alter them.
const NULL_VALUE: TupleValue = Object.freeze({ kind: 'null' });
const UNCHANGED_TOAST: TupleValue = Object.freeze({ kind: 'unchanged-toast' });

const REPLICA_IDENTITIES = new Set<string>(['d', 'n', 'f', 'i']);

class Reader {
  pos = 1; // past the tag byte
  constructor(readonly buf: Buffer) {}

  u8(): number {
    return this.buf.readUInt8(this.pos++);
  }
  char(): string {
    return String.fromCharCode(this.u8());
  }
  i16(): number {
    const v = this.buf.readInt16BE(this.pos);
    this.pos += 2;
    return v;
  }
  u32(): number {
    const v = this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }
  i32(): number {
    const v = this.buf.readInt32BE(this.pos);
    this.pos += 4;
    return v;
  }
  lsn(): Lsn {
    const v = this.buf.readBigUInt64BE(this.pos);
    this.pos += 8;
    return v;
  }
  /** TimestampTz: signed µs since 2000-01-01. */
  timestamp(): bigint {
    const v = this.buf.readBigInt64BE(this.pos);
    this.pos += 8;
    return v;
  }
  cstring(): string {
    const end = this.buf.indexOf(0, this.pos);
    if (end < 0) throw new RangeError(`unterminated string at byte ${this.pos}`);
    const s = this.buf.toString('utf8', this.pos, end);
    this.pos = end + 1;
    return s;
  }
  bytes(n: number): Buffer {
    const end = this.pos + n;
    if (n < 0 || end > this.buf.length) throw new RangeError(`${n} bytes at byte ${this.pos} run past the end (${this.buf.length})`);
    const copy = Buffer.allocUnsafe(n);
    this.buf.copy(copy, 0, this.pos, end);
    this.pos = end;
    return copy;
  }
  text(n: number): string {
    const end = this.pos + n;
    if (n < 0 || end > this.buf.length) throw new RangeError(`${n} bytes at byte ${this.pos} run past the end (${this.buf.length})`);
    const s = this.buf.toString('utf8', this.pos, end);
    this.pos = end;
    return s;
  }

  tuple(): TupleValue[] {
    const n = this.i16();
    const values = new Array<TupleValue>(n);
    for (let i = 0; i < n; i++) {
      const kind = this.u8();
      switch (kind) {
        case 0x74: // 't'
          values[i] = { kind: 'text', text: this.text(this.i32()) };
          break;
        case 0x6e: // 'n'
          values[i] = NULL_VALUE;
          break;
        case 0x75: // 'u'
          values[i] = UNCHANGED_TOAST;
          break;
        case 0x62: // 'b'
          values[i] = { kind: 'binary', data: this.bytes(this.i32()) };
          break;
        default:
          throw new Error(`unknown tuple value kind '${String.fromCharCode(kind)}' (0x${kind.toString(16)}) for column ${i}`);
      }
    }
    return values;
  }

  /** 'K' or 'O' followed by a tuple. */
  oldTuple(kind: number): { oldKind: 'K' | 'O'; oldTuple: TupleValue[] } {
    if (kind !== 0x4b && kind !== 0x4f) throw new Error(`expected 'K' or 'O' before the old tuple, got '${String.fromCharCode(kind)}'`);
    return { oldKind: kind === 0x4b ? 'K' : 'O', oldTuple: this.tuple() };
  }

  expectNew(kind: number): void {
    if (kind !== 0x4e) throw new Error(`expected 'N' before the new tuple, got '${String.fromCharCode(kind)}'`);
  }

  end(): void {
    if (this.pos !== this.buf.length) throw new Error(`${this.buf.length - this.pos} unexpected trailing bytes`);
  }
}

function decode(r: Reader, tag: number): PgOutputMessage {
  switch (tag) {
    case 0x49: { // 'I'
      const relationId = r.u32();
      r.expectNew(r.u8());
      return { tag: 'insert', relationId, newTuple: r.tuple() };
    }
    case 0x55: { // 'U'
      const relationId = r.u32();
      const kind = r.u8();
      if (kind === 0x4e) return { tag: 'update', relationId, oldKind: null, oldTuple: null, newTuple: r.tuple() };
      const { oldKind, oldTuple } = r.oldTuple(kind);
      r.expectNew(r.u8());
      return { tag: 'update', relationId, oldKind, oldTuple, newTuple: r.tuple() };
    }
    case 0x44: { // 'D'
      const relationId = r.u32();
      const { oldKind, oldTuple } = r.oldTuple(r.u8());
      return { tag: 'delete', relationId, oldKind, oldTuple };
    }
    case 0x42: // 'B'
      return { tag: 'begin', finalLsn: r.lsn(), commitTime: r.timestamp(), xid: r.u32() };
    case 0x43: // 'C'
      return { tag: 'commit', flags: r.u8(), commitLsn: r.lsn(), endLsn: r.lsn(), commitTime: r.timestamp() };
    case 0x52: { // 'R'
      const relationId = r.u32();
      const schema = r.cstring();
      const name = r.cstring();
      const identity = r.char();
      if (!REPLICA_IDENTITIES.has(identity)) throw new Error(`unknown replica identity '${identity}'`);
      const n = r.i16();
      const columns: RelationColumn[] = [];
      for (let i = 0; i < n; i++) {
        columns.push({ flags: r.u8(), name: r.cstring(), typeId: r.u32(), typeMod: r.i32() });
      }
      return { tag: 'relation', relationId, schema, name, replicaIdentity: identity as ReplicaIdentity, columns };
    }
    case 0x59: // 'Y'
      return { tag: 'type', typeId: r.u32(), schema: r.cstring(), name: r.cstring() };
    case 0x54: { // 'T'
      const n = r.i32();
      const options = r.u8();
      const relationIds: number[] = [];
      for (let i = 0; i < n; i++) relationIds.push(r.u32());
      return { tag: 'truncate', options, relationIds };
    }
    case 0x4d: { // 'M'
      const flags = r.u8();
      const lsn = r.lsn();
      const prefix = r.cstring();
      return { tag: 'message', transactional: (flags & 1) === 1, lsn, prefix, content: r.bytes(r.i32()) };
    }
    case 0x4f: // 'O'
      return { tag: 'origin', lsn: r.lsn(), name: r.cstring() };
    default:
      throw new Error('unknown message type (protocol_version 1 defines B C O R Y I U D T M)');
  }
}

/** Decodes one pgoutput message (the whole XLogData payload). Throws on a malformed buffer. */
export function decodePgOutput(buf: Buffer): PgOutputMessage {
  if (buf.length === 0) throw new Error('Malformed pgoutput message: empty');
  const tag = buf[0]!;
  const r = new Reader(buf);
  try {
    const msg = decode(r, tag);
    r.end();
    return msg;
  } catch (e) {
    const why = e instanceof RangeError && (e as NodeJS.ErrnoException).code === 'ERR_OUT_OF_RANGE' ? `truncated at byte ${r.pos} of ${buf.length}` : (e as Error).message;
    throw new Error(`Malformed pgoutput message '${String.fromCharCode(tag)}' (0x${tag.toString(16)}): ${why}`);
  }
}
