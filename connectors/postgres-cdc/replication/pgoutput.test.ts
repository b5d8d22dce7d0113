import { describe, it, expect } from 'vitest';
import { decodePgOutput, TRUNCATE_CASCADE, TRUNCATE_RESTART_IDENTITY, type TupleValue } from './pgoutput.js';
import { parseLsn } from './lsn.js';

/** Builds messages byte by byte, as the docs lay them out. */
class Bytes {
  private parts: Buffer[] = [];
  ch(c: string): this { return this.push(Buffer.from(c, 'latin1')); }
  u8(n: number): this { const b = Buffer.alloc(1); b.writeUInt8(n); return this.push(b); }
  i16(n: number): this { const b = Buffer.alloc(2); b.writeInt16BE(n); return this.push(b); }
  i32(n: number): this { const b = Buffer.alloc(4); b.writeInt32BE(n); return this.push(b); }
  u32(n: number): this { const b = Buffer.alloc(4); b.writeUInt32BE(n); return this.push(b); }
  i64(n: bigint): this { const b = Buffer.alloc(8); b.writeBigInt64BE(n); return this.push(b); }
  str(s: string): this { return this.push(Buffer.concat([Buffer.from(s, 'utf8'), Buffer.from([0])])); }
  raw(b: Buffer): this { return this.push(b); }
  text(s: string): this { const b = Buffer.from(s, 'utf8'); return this.ch('t').i32(b.length).raw(b); }
  build(): Buffer { return Buffer.concat(this.parts); }
  private push(b: Buffer): this { this.parts.push(b); return this; }
}

const lsn = parseLsn('16/B374D848');
const ts = 760_000_000_123_456n; // µs since 2000-01-01, early 2024

describe('decodePgOutput', () => {
  it('decodes Begin', () => {
    const buf = new Bytes().ch('B').i64(lsn).i64(ts).u32(3_000_000_000).build();
    expect(decodePgOutput(buf)).toEqual({ tag: 'begin', finalLsn: lsn, commitTime: ts, xid: 3_000_000_000 });
  });

  it('decodes Commit with commit and end LSNs', () => {
    const buf = new Bytes().ch('C').u8(0).i64(lsn).i64(lsn + 48n).i64(ts).build();
    expect(decodePgOutput(buf)).toEqual({ tag: 'commit', flags: 0, commitLsn: lsn, endLsn: lsn + 48n, commitTime: ts });
  });

  it('keeps commit times before 2000 negative', () => {
    const buf = new Bytes().ch('C').u8(0).i64(1n).i64(2n).i64(-5n).build();
    expect(decodePgOutput(buf)).toMatchObject({ commitTime: -5n });
  });

  it('decodes Origin', () => {
    const buf = new Bytes().ch('O').i64(lsn).str('node_a').build();
    expect(decodePgOutput(buf)).toEqual({ tag: 'origin', lsn, name: 'node_a' });
  });

  it('decodes Relation with replica identity and column flags, names, types, typmods', () => {
    const buf = new Bytes().ch('R').u32(16384).str('public').str('Bücher').ch('f').i16(3)
      .u8(1).str('id').u32(23).i32(-1)
      .u8(0).str('title').u32(1043).i32(104)
      .u8(0).str('price').u32(1700).i32(655366)
      .build();
    expect(decodePgOutput(buf)).toEqual({
      tag: 'relation', relationId: 16384, schema: 'public', name: 'Bücher', replicaIdentity: 'f',
      columns: [
        { flags: 1, name: 'id', typeId: 23, typeMod: -1 },
        { flags: 0, name: 'title', typeId: 1043, typeMod: 104 },
        { flags: 0, name: 'price', typeId: 1700, typeMod: 655366 },
      ],
    });
  });

  it('decodes Relation of a table with no columns', () => {
    const buf = new Bytes().ch('R').u32(7).str('s').str('t').ch('n').i16(0).build();
    expect(decodePgOutput(buf)).toMatchObject({ replicaIdentity: 'n', columns: [] });
  });

  it('decodes Type', () => {
    const buf = new Bytes().ch('Y').u32(90001).str('public').str('mood').build();
    expect(decodePgOutput(buf)).toEqual({ tag: 'type', typeId: 90001, schema: 'public', name: 'mood' });
  });

  it('decodes Insert with text, null, unchanged-toast and binary values', () => {
    const buf = new Bytes().ch('I').u32(16384).ch('N').i16(5)
      .text('42').ch('n').text('grüße ✓').ch('u').ch('b').i32(3).raw(Buffer.from([0, 1, 255]))
      .build();
    const expected: TupleValue[] = [
      { kind: 'text', text: '42' }, { kind: 'null' }, { kind: 'text', text: 'grüße ✓' },
      { kind: 'unchanged-toast' }, { kind: 'binary', data: Buffer.from([0, 1, 255]) },
    ];
    expect(decodePgOutput(buf)).toEqual({ tag: 'insert', relationId: 16384, newTuple: expected });
  });

  it('decodes an empty text value and an empty tuple', () => {
    const buf = new Bytes().ch('I').u32(1).ch('N').i16(1).text('').build();
    expect(decodePgOutput(buf)).toMatchObject({ newTuple: [{ kind: 'text', text: '' }] });
    const none = new Bytes().ch('I').u32(1).ch('N').i16(0).build();
    expect(decodePgOutput(none)).toMatchObject({ newTuple: [] });
  });

  it('decodes Update without an old tuple', () => {
    const buf = new Bytes().ch('U').u32(5).ch('N').i16(2).text('1').ch('u').build();
    expect(decodePgOutput(buf)).toEqual({
      tag: 'update', relationId: 5, oldKind: null, oldTuple: null,
      newTuple: [{ kind: 'text', text: '1' }, { kind: 'unchanged-toast' }],
    });
  });

  it('decodes Update with a key (K) old tuple', () => {
    const buf = new Bytes().ch('U').u32(5).ch('K').i16(2).text('1').ch('n').ch('N').i16(2).text('2').text('x').build();
    expect(decodePgOutput(buf)).toEqual({
      tag: 'update', relationId: 5, oldKind: 'K',
      oldTuple: [{ kind: 'text', text: '1' }, { kind: 'null' }],
      newTuple: [{ kind: 'text', text: '2' }, { kind: 'text', text: 'x' }],
    });
  });

  it('decodes Update with a full (O) old tuple', () => {
    const buf = new Bytes().ch('U').u32(5).ch('O').i16(1).text('old').ch('N').i16(1).text('new').build();
    expect(decodePgOutput(buf)).toMatchObject({ oldKind: 'O', oldTuple: [{ kind: 'text', text: 'old' }], newTuple: [{ kind: 'text', text: 'new' }] });
  });

  it('decodes Delete with K and with O', () => {
    const k = new Bytes().ch('D').u32(9).ch('K').i16(2).text('7').ch('n').build();
    expect(decodePgOutput(k)).toEqual({ tag: 'delete', relationId: 9, oldKind: 'K', oldTuple: [{ kind: 'text', text: '7' }, { kind: 'null' }] });
    const o = new Bytes().ch('D').u32(9).ch('O').i16(1).text('7').build();
    expect(decodePgOutput(o)).toMatchObject({ oldKind: 'O' });
  });

  it('decodes Truncate with options and relation ids', () => {
    const buf = new Bytes().ch('T').i32(3).u8(TRUNCATE_CASCADE | TRUNCATE_RESTART_IDENTITY).u32(10).u32(11).u32(4_000_000_000).build();
    expect(decodePgOutput(buf)).toEqual({ tag: 'truncate', options: 3, relationIds: [10, 11, 4_000_000_000] });
  });

  it('decodes logical decoding Message, transactional or not', () => {
    const t = new Bytes().ch('M').u8(1).i64(lsn).str('pfx').i32(5).raw(Buffer.from('hello')).build();
    expect(decodePgOutput(t)).toEqual({ tag: 'message', transactional: true, lsn, prefix: 'pfx', content: Buffer.from('hello') });
    const n = new Bytes().ch('M').u8(0).i64(lsn).str('').i32(0).build();
    expect(decodePgOutput(n)).toEqual({ tag: 'message', transactional: false, lsn, prefix: '', content: Buffer.alloc(0) });
  });

  it('returns Buffers that do not share memory with the input', () => {
    const buf = new Bytes().ch('M').u8(1).i64(lsn).str('p').i32(2).raw(Buffer.from('ab')).build();
    const msg = decodePgOutput(buf);
    buf.fill(0);
    expect(msg).toMatchObject({ content: Buffer.from('ab') });
  });

  it('names the message and the problem when the buffer is malformed', () => {
    expect(() => decodePgOutput(Buffer.alloc(0))).toThrow('Malformed pgoutput message: empty');
    expect(() => decodePgOutput(Buffer.from('Z'))).toThrow("Malformed pgoutput message 'Z' (0x5a): unknown message type");
    const begin = new Bytes().ch('B').i64(lsn).build();
    expect(() => decodePgOutput(begin)).toThrow("Malformed pgoutput message 'B' (0x42): truncated");
    const longText = new Bytes().ch('I').u32(1).ch('N').i16(1).ch('t').i32(100).raw(Buffer.from('ab')).build();
    expect(() => decodePgOutput(longText)).toThrow("'I' (0x49): 100 bytes at byte 13 run past the end (15)");
    const badKind = new Bytes().ch('I').u32(1).ch('N').i16(1).ch('x').build();
    expect(() => decodePgOutput(badKind)).toThrow("unknown tuple value kind 'x'");
    const noNew = new Bytes().ch('U').u32(1).ch('X').build();
    expect(() => decodePgOutput(noNew)).toThrow("expected 'K' or 'O' before the old tuple, got 'X'");
    const trailing = new Bytes().ch('Y').u32(1).str('a').str('b').u8(0).build();
    expect(() => decodePgOutput(trailing)).toThrow('1 unexpected trailing bytes');
    const unterminated = new Bytes().ch('Y').u32(1).ch('abc').build();
    expect(() => decodePgOutput(unterminated)).toThrow('unterminated string at byte 5');
    const identity = new Bytes().ch('R').u32(1).str('s').str('t').ch('z').i16(0).build();
    expect(() => decodePgOutput(identity)).toThrow("unknown replica identity 'z'");
  });
});
