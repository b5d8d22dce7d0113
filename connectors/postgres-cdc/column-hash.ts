/**
 * The hash of `column.mask.hash.<algorithm>.with.salt.<salt>`, byte for byte as Debezium computes
 * it: the digest of the salt's UTF-8 bytes, then of the value's bytes, in lower-case hex.
 *
 * - v1 (`column.mask.hash.…`): the value as Java's ObjectOutputStream writes a String: the stream
 *   header AC ED 00 05, TC_STRING (0x74) and a 2-byte length, or TC_LONGSTRING (0x7C) and an 8-byte
 *   length past 65,535 bytes, then the text in Java's modified UTF-8.
 * - v2 (`column.mask.hash.v2.…`): the value's UTF-8 bytes alone.
 */
import { createHash, getHashes } from 'node:crypto';

export type HashVersion = 'v1' | 'v2';

/** Java's MessageDigest names (matched case-insensitively, as Java does) -> Node's. */
const ALGORITHMS: Record<string, string> = {
  'md5': 'md5',
  'sha': 'sha1', 'sha1': 'sha1', 'sha-1': 'sha1',
  'sha-224': 'sha224', 'sha224': 'sha224',
  'sha-256': 'sha256', 'sha256': 'sha256',
  'sha-384': 'sha384', 'sha384': 'sha384',
  'sha-512': 'sha512', 'sha512': 'sha512',
  'sha-512/224': 'sha512-224', 'sha512/224': 'sha512-224',
  'sha-512/256': 'sha512-256', 'sha512/256': 'sha512-256',
  'sha3-224': 'sha3-224', 'sha3-256': 'sha3-256', 'sha3-384': 'sha3-384', 'sha3-512': 'sha3-512',
};

/** Node's digest for a Java algorithm name, or null when there is none. */
export function nodeDigest(javaName: string): string | null {
  const node = ALGORITHMS[javaName.toLowerCase()];
  return node && getHashes().includes(node) ? node : null;
}

export function supportedDigests(): string[] {
  return ['MD5', 'SHA-1', 'SHA-224', 'SHA-256', 'SHA-384', 'SHA-512', 'SHA-512/224', 'SHA-512/256', 'SHA3-224', 'SHA3-256', 'SHA3-384', 'SHA3-512'];
}

/** Java's modified UTF-8: NUL as C0 80, each UTF-16 unit on its own (a surrogate pair is 6 bytes). */
function modifiedUtf8(text: string): Buffer {
  const out = Buffer.allocUnsafe(text.length * 3);
  let at = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x01 && c <= 0x7f) out[at++] = c;
    else if (c <= 0x7ff) {
      out[at++] = 0xc0 | (c >> 6);
      out[at++] = 0x80 | (c & 0x3f);
    } else {
      out[at++] = 0xe0 | (c >> 12);
      out[at++] = 0x80 | ((c >> 6) & 0x3f);
      out[at++] = 0x80 | (c & 0x3f);
    }
  }
  return out.subarray(0, at);
}

/** A String as ObjectOutputStream.writeObject serializes it, stream header included. */
export function javaSerializedString(text: string): Buffer {
  const utf = modifiedUtf8(text);
  if (utf.length <= 0xffff) {
    const head = Buffer.from([0xac, 0xed, 0x00, 0x05, 0x74, utf.length >> 8, utf.length & 0xff]);
    return Buffer.concat([head, utf]);
  }
  const head = Buffer.alloc(13);
  head.set([0xac, 0xed, 0x00, 0x05, 0x7c]);
  head.writeBigUInt64BE(BigInt(utf.length), 5);
  return Buffer.concat([head, utf]);
}

export function hashValue(digest: string, salt: Buffer, version: HashVersion, value: string): string {
  const bytes = version === 'v1' ? javaSerializedString(value) : Buffer.from(value, 'utf8');
  return createHash(digest).update(salt).update(bytes).digest('hex');
}
