import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readByteMap, writeByteMap } from './java-byte-map.js';

// Written by Java 17's ObjectOutputStream, as Kafka's FileOffsetBackingStore.save writes its map: a
// HashMap<byte[], byte[]> of 20 offsets ["c<i>",{"server":"s"}] -> {"lsn":<1000+i>} and one null
// value ["gone",{"f":"x"}].
const javaWritten = readFileSync(new URL('./fixtures/java-hashmap.bin', import.meta.url));
const text = (b: Uint8Array | null) => (b === null ? null : Buffer.from(b).toString());

describe('Java-serialized HashMap<byte[], byte[]> (Kafka standalone offset file)', () => {
  it('reads what Java wrote, null values included', () => {
    const entries = readByteMap(javaWritten).map(([k, v]) => [text(k), text(v)] as const);
    expect(entries).toHaveLength(21);
    expect(new Map(entries)).toEqual(new Map([
      ...Array.from({ length: 20 }, (_, i) => [`["c${i}",{"server":"s"}]`, `{"lsn":${1000 + i}}`] as const),
      ['["gone",{"f":"x"}]', null],
    ]));
  });

  it('writes the bytes Java writes for the same entries in the same order', () => {
    expect(Buffer.from(writeByteMap(readByteMap(javaWritten))).equals(javaWritten)).toBe(true);
  });

  it('round-trips an empty map and non-ASCII keys', () => {
    expect(readByteMap(writeByteMap([]))).toEqual([]);
    const key = Buffer.from('["café",{"server":"ü"}]');
    const [[k, v]] = readByteMap(writeByteMap([[key, null]])) as [[Uint8Array, null]];
    expect(text(k)).toBe('["café",{"server":"ü"}]');
    expect(v).toBeNull();
  });

  it('refuses what is not such a map, saying where', () => {
    expect(() => readByteMap(Buffer.from('{"not":"java"}'))).toThrow("not a Java serialization stream (no 0xACED magic) at byte 2");
    expect(() => readByteMap(javaWritten.subarray(0, 200))).toThrow(/unexpected end of file|past the end/);
    const asList = Buffer.from(javaWritten);
    asList.write('java.util.HashSet', 8, 'latin1');
    expect(() => readByteMap(asList)).toThrow(/expected a java.util.HashMap, found java.util.HashSet/);
  });
});
