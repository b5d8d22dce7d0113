/**
 * Stored batches are deflated (zlib level 1) when that pays. Records of one batch repeat a lot:
 * a JsonConverter envelope with `schemas.enable=true` carries the same ~2 KB schema in every
 * record, so a batch of CDC events shrinks 20-70x and SQLite writes that much less. Level 1
 * compresses such data at over 1 GB/s on one core, well under what SQLite spends per byte.
 *
 *   stored = 0x02 deflateRaw(encoded batch)     or the encoded batch itself (first byte 0x01)
 *
 * Readers see the encoded batch either way: keys and values stay views of one buffer.
 */
import { deflateRawSync, inflateRawSync, constants } from 'node:zlib';

const DEFLATED = 2;
/** Smaller batches gain too little to pay zlib's per-call setup. */
const MIN_BYTES = 1024;
/** Keep the raw form unless deflate saves at least this share. */
const MAX_RATIO = 0.9;

export function compressBatch(encoded: Buffer): Buffer {
  if (encoded.length < MIN_BYTES) return encoded;
  const deflated = deflateRawSync(encoded, { level: 1, memLevel: 9, strategy: constants.Z_DEFAULT_STRATEGY });
  if (deflated.length + 1 > encoded.length * MAX_RATIO) return encoded;
  const out = Buffer.allocUnsafe(deflated.length + 1);
  out[0] = DEFLATED;
  deflated.copy(out, 1);
  return out;
}

/** The encoded batch of a stored one. */
export function openBatch(stored: Buffer): Buffer {
  return stored[0] === DEFLATED ? inflateRawSync(stored.subarray(1)) : stored;
}
