/**
 * The file Kafka Connect's standalone worker keeps its source offsets in (`offset.storage.file.filename`,
 * FileOffsetBackingStore): one `java.util.HashMap<byte[], byte[]>` written with Java's
 * ObjectOutputStream, keys and values being the JSON bytes of `["<connector>",{partition}]` and of
 * the offset (a null value is a deleted offset).
 *
 * Only that object is read and written, by the Java Object Serialization Stream Protocol's layout
 * (magic, class descriptors, handles, block data). Anything else is refused with the byte it stops at.
 */

const MAGIC = 0xaced;
const VERSION = 5;
const TC_NULL = 0x70;
const TC_REFERENCE = 0x71;
const TC_CLASSDESC = 0x72;
const TC_OBJECT = 0x73;
const TC_STRING = 0x74;
const TC_ARRAY = 0x75;
const TC_BLOCKDATA = 0x77;
const TC_ENDBLOCKDATA = 0x78;
const TC_BLOCKDATALONG = 0x7a;
const BASE_HANDLE = 0x7e0000;
const SC_WRITE_METHOD = 0x01;
const SC_SERIALIZABLE = 0x02;

/** The serialVersionUIDs Java gives the two classes (any JDK since 1.2). */
const HASHMAP_UID = 0x0507dac1c31660d1n;
const BYTE_ARRAY_UID = BigInt.asIntN(64, 0xacf317f8060854e0n);

const PRIMITIVE_SIZES: Record<string, number> = { B: 1, C: 2, D: 8, F: 4, I: 4, J: 8, S: 2, Z: 1 };

export type ByteMap = Array<[Uint8Array | null, Uint8Array | null]>;

interface ClassDesc {
  name: string;
  fields: Array<{ type: string; name: string }>;
}

class Reader {
  private pos = 0;
  private readonly handles: unknown[] = [];
  private readonly view: DataView;

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  fail(what: string): never {
    throw new Error(`${what} at byte ${this.pos}`);
  }

  u8(): number {
    if (this.pos + 1 > this.bytes.length) this.fail('unexpected end of file');
    return this.bytes[this.pos++]!;
  }

  u16(): number {
    if (this.pos + 2 > this.bytes.length) this.fail('unexpected end of file');
    const v = this.view.getUint16(this.pos);
    this.pos += 2;
    return v;
  }

  i32(): number {
    if (this.pos + 4 > this.bytes.length) this.fail('unexpected end of file');
    const v = this.view.getInt32(this.pos);
    this.pos += 4;
    return v;
  }

  take(n: number): Uint8Array {
    if (n < 0 || this.pos + n > this.bytes.length) this.fail(`a length of ${n} bytes past the end of the file`);
    const out = this.bytes.slice(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  utf(): string {
    // Java's modified UTF-8 equals UTF-8 for the class and field names met here.
    return Buffer.from(this.take(this.u16())).toString('utf8');
  }

  get atEnd(): boolean {
    return this.pos === this.bytes.length;
  }

  private handle<T>(value: T): T {
    this.handles.push(value);
    return value;
  }

  private reference(): unknown {
    const index = this.i32() - BASE_HANDLE;
    if (index < 0 || index >= this.handles.length) this.fail(`a reference to unknown handle ${index + BASE_HANDLE}`);
    return this.handles[index];
  }

  /** A class descriptor, a reference to one, or null. */
  classDesc(): ClassDesc | null {
    const tc = this.u8();
    if (tc === TC_NULL) return null;
    if (tc === TC_REFERENCE) return this.reference() as ClassDesc;
    if (tc !== TC_CLASSDESC) this.fail(`expected a class descriptor, found 0x${tc.toString(16)}`);
    const name = this.utf();
    this.take(8); // serialVersionUID: the class is told by its name
    const desc = this.handle<ClassDesc>({ name, fields: [] });
    this.u8(); // flags
    const count = this.u16();
    for (let i = 0; i < count; i++) {
      const type = String.fromCharCode(this.u8());
      const field = { type, name: this.utf() };
      if (type === 'L' || type === '[') this.string(); // the field's class name
      desc.fields.push(field);
    }
    if (this.u8() !== TC_ENDBLOCKDATA) this.fail(`class annotations of ${name} are not supported`);
    const parent = this.classDesc();
    if (parent) this.fail(`${name} has a serializable superclass ${parent.name}, not a HashMap`);
    return desc;
  }

  private string(): string {
    const tc = this.u8();
    if (tc === TC_REFERENCE) return this.reference() as string;
    if (tc !== TC_STRING) this.fail(`expected a string, found 0x${tc.toString(16)}`);
    return this.handle(this.utf());
  }

  /** A HashMap key or value: a byte array, a reference to one, or null. */
  bytesOrNull(): Uint8Array | null {
    const tc = this.u8();
    if (tc === TC_NULL) return null;
    if (tc === TC_REFERENCE) {
      const ref = this.reference();
      if (!(ref instanceof Uint8Array)) this.fail('a reference to something other than a byte array');
      return ref;
    }
    if (tc !== TC_ARRAY) this.fail(`expected a byte array, found 0x${tc.toString(16)}`);
    const desc = this.classDesc();
    if (desc?.name !== '[B') this.fail(`expected a byte array, found an array of ${desc?.name}`);
    const slot = this.handles.length;
    this.handles.push(null);
    const bytes = this.take(this.i32());
    this.handles[slot] = bytes;
    return bytes;
  }

  /** The block data HashMap.writeObject writes before its entries: bucket count and size. */
  blockData(): Uint8Array {
    const tc = this.u8();
    if (tc === TC_BLOCKDATA) return this.take(this.u8());
    if (tc === TC_BLOCKDATALONG) return this.take(this.i32());
    return this.fail(`expected block data, found 0x${tc.toString(16)}`);
  }

  /** The values of a class's declared fields; HashMap's are primitives (loadFactor, threshold). */
  skipFields(desc: ClassDesc): void {
    for (const f of desc.fields) {
      const size = PRIMITIVE_SIZES[f.type];
      if (size === undefined) this.fail(`field ${desc.name}.${f.name} is an object, not a HashMap's`);
      this.take(size);
    }
  }

  newObject(): ClassDesc {
    const desc = this.classDesc();
    if (!desc) return this.fail('an object without a class');
    this.handle({});
    return desc;
  }
}

/** Reads the HashMap<byte[], byte[]> of Kafka's offset file; throws naming what is wrong and where. */
export function readByteMap(bytes: Uint8Array): ByteMap {
  const r = new Reader(bytes);
  if (r.u16() !== MAGIC) r.fail('not a Java serialization stream (no 0xACED magic)');
  const version = r.u16();
  if (version !== VERSION) r.fail(`Java serialization version ${version}, expected 5`);
  if (r.u8() !== TC_OBJECT) r.fail('expected an object');
  const desc = r.newObject();
  if (desc.name !== 'java.util.HashMap') r.fail(`expected a java.util.HashMap, found ${desc.name}`);
  r.skipFields(desc);
  const block = r.blockData();
  if (block.length < 8) r.fail('HashMap block data shorter than its bucket count and size');
  const size = new DataView(block.buffer, block.byteOffset, block.byteLength).getInt32(4);
  const entries: ByteMap = [];
  for (let i = 0; i < size; i++) entries.push([r.bytesOrNull(), r.bytesOrNull()]);
  if (r.u8() !== TC_ENDBLOCKDATA) r.fail(`expected the end of the HashMap after ${size} entries`);
  if (!r.atEnd) r.fail('trailing bytes after the HashMap');
  return entries;
}

/** Writes `entries` as ObjectOutputStream writes a HashMap<byte[], byte[]> (FileOffsetBackingStore.save). */
export function writeByteMap(entries: ByteMap): Uint8Array {
  const parts: Buffer[] = [];
  const u8 = (v: number) => parts.push(Buffer.from([v]));
  const u16 = (v: number) => {
    const b = Buffer.alloc(2);
    b.writeUInt16BE(v);
    parts.push(b);
  };
  const i32 = (v: number) => {
    const b = Buffer.alloc(4);
    b.writeInt32BE(v);
    parts.push(b);
  };
  const i64 = (v: bigint) => {
    const b = Buffer.alloc(8);
    b.writeBigInt64BE(v);
    parts.push(b);
  };
  const utf = (s: string) => {
    const b = Buffer.from(s, 'utf8');
    u16(b.length);
    parts.push(b);
  };
  u16(MAGIC);
  u16(VERSION);
  // HashMap's descriptor (handle 0), the map itself (handle 1).
  u8(TC_OBJECT);
  u8(TC_CLASSDESC);
  utf('java.util.HashMap');
  i64(HASHMAP_UID);
  u8(SC_WRITE_METHOD | SC_SERIALIZABLE);
  u16(2); // primitive fields, sorted by name as Java writes them
  u8('F'.charCodeAt(0));
  utf('loadFactor');
  u8('I'.charCodeAt(0));
  utf('threshold');
  u8(TC_ENDBLOCKDATA);
  u8(TC_NULL); // AbstractMap is not serializable
  // The table HashMap would have for this many entries at load factor 0.75.
  let buckets = 16;
  while (entries.length > buckets * 0.75) buckets *= 2;
  const lf = Buffer.alloc(4);
  lf.writeFloatBE(0.75);
  parts.push(lf);
  i32(buckets * 0.75);
  u8(TC_BLOCKDATA);
  u8(8);
  i32(buckets);
  i32(entries.length);
  let byteArrayDesc: number | null = null;
  let next = BASE_HANDLE + 2;
  const array = (bytes: Uint8Array | null) => {
    if (bytes === null) return u8(TC_NULL);
    u8(TC_ARRAY);
    if (byteArrayDesc === null) {
      byteArrayDesc = next++;
      u8(TC_CLASSDESC);
      utf('[B');
      i64(BYTE_ARRAY_UID);
      u8(SC_SERIALIZABLE);
      u16(0);
      u8(TC_ENDBLOCKDATA);
      u8(TC_NULL);
    } else {
      u8(TC_REFERENCE);
      i32(byteArrayDesc);
    }
    next++;
    i32(bytes.length);
    parts.push(Buffer.from(bytes));
  };
  for (const [key, value] of entries) {
    array(key);
    array(value);
  }
  u8(TC_ENDBLOCKDATA);
  return Buffer.concat(parts);
}
