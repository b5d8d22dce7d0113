/**
 * Stored batches are compressed (Brotli, quality 0) when that pays. Records of one batch repeat a
 * lot: a JsonConverter envelope with `schemas.enable=true` carries the same ~2 KB schema in every
 * record, so a batch of CDC events shrinks ~60x and SQLite writes that much less. Measured on
 * 5 MB of CDC events: Brotli q1 3.0 GB/s and 59x, zlib deflate level 1 1.1 GB/s and 29x; both
 * read back at about 1.3 GB/s. Quality 0 (2026-12-06, 1 MB of CDC envelopes): 300-340 us against
 * quality 1's 600 us, 57x against 91x, read back in 510 us against 730; 1 KB-row envelopes 43x
 * against 56x; 60-byte records 5.9x against 10.9x. The CPU is the scarce thing (a CDC record's
 * main thread), the bytes SQLite writes were already few: bench/embedded-log produces 35-76% more
 * records/s, and the CDC snapshot's main thread spends ~7% less a row. Batches stored at either
 * quality read the same.
 *
 *   stored = 0x03 brotli(encoded batch)  |  0x02 deflateRaw(encoded batch) (older files)
 *          | the encoded batch itself (first byte 0x01)
 *
 * Readers see the encoded batch either way: keys and values stay views of one buffer.
 */
import { brotliCompressSync, brotliDecompressSync, constants, inflateRawSync } from 'node:zlib';

const DEFLATED = 2;
const BROTLI = 3;
/** Smaller batches gain too little to pay the compressor's per-call setup. */
const MIN_BYTES = 1024;
/** Keep the raw form unless compression saves at least this share. */
const MAX_RATIO = 0.9;

export function compressBatch(encoded: Buffer): Buffer {
  if (encoded.length < MIN_BYTES) return encoded;
  const packed = brotliCompressSync(encoded, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 0, [constants.BROTLI_PARAM_LGWIN]: 18, [constants.BROTLI_PARAM_SIZE_HINT]: encoded.length },
  });
  if (packed.length + 1 > encoded.length * MAX_RATIO) return encoded;
  const out = Buffer.allocUnsafe(packed.length + 1);
  out[0] = BROTLI;
  packed.copy(out, 1);
  return out;
}

/** The encoded batch of a stored one. */
export function openBatch(stored: Buffer): Buffer {
  switch (stored[0]) {
    case BROTLI:
      return brotliDecompressSync(stored.subarray(1));
    case DEFLATED:
      return inflateRawSync(stored.subarray(1));
    default:
      return stored;
  }
}
