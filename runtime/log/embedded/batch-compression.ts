/**
 * Stored batches are compressed (LZ4 block format, lz4-napi) when that pays. Records of one batch
 * repeat a lot: a JsonConverter envelope with `schemas.enable=true` carries the same ~2 KB schema
 * in every record, so a batch of CDC events shrinks ~40x and SQLite writes that much less (writing
 * them raw halved the CDC stream's rate). LZ4 instead of Brotli quality 0 (2026-12-06, 1 MB of
 * narrow CDC envelopes, medians of 40): compressed in 148 us against 246, read back in 140 us
 * against 1,413 (a reader, a sink's consumer above all, paid ~3.6 us a CDC record for Brotli);
 * 39x against 64x. Earlier: Brotli q1 3.0 GB/s and 59x, zlib deflate level 1 1.1 GB/s and 29x.
 *
 *   stored = 0x04 lz4 block with its size before it (encoded batch)
 *          | 0x03 brotli(encoded batch) | 0x02 deflateRaw(encoded batch) (earlier versions)
 *          | the encoded batch itself (first byte 0x01)
 *
 * Readers see the encoded batch either way: keys and values stay views of one buffer.
 */
import { createRequire } from 'node:module';
import { brotliCompressSync, brotliDecompressSync, constants, inflateRawSync } from 'node:zlib';
import { getLogger } from '../../api/logger.js';

interface Lz4 {
  compressSync(data: Buffer): Buffer;
  uncompressSync(data: Buffer): Buffer;
}

/**
 * lz4-napi (a CommonJS native module, prebuilt per platform), or why it did not load: a platform
 * without a prebuilt binary, a node_modules copied from another machine. The log then still
 * works: new batches are stored with Brotli, and only LZ4 batches cannot be read. Loaded at the
 * first batch that needs it (~7 ms), not when the worker starts: the internal topics' small
 * batches are stored raw.
 */
let loaded: Lz4 | Error | null = null;
function lz4(): Lz4 | Error {
  if (loaded === null) {
    try {
      loaded = createRequire(import.meta.url)('lz4-napi') as Lz4;
    } catch (e) {
      // The first line only: Node appends the require stack.
      loaded = new Error((e instanceof Error ? e.message : String(e)).split('\n')[0]);
    }
  }
  return loaded;
}
let warned = false;

const DEFLATED = 2;
const BROTLI = 3;
const LZ4 = 4;
/** Smaller batches gain too little to pay the compressor's per-call setup. */
const MIN_BYTES = 1024;
/** Keep the raw form unless compression saves at least this share. */
const MAX_RATIO = 0.9;

export function compressBatch(encoded: Buffer): Buffer {
  if (encoded.length < MIN_BYTES) return encoded;
  const codec = lz4();
  const packed = codec instanceof Error ? brotliOf(encoded, codec) : codec.compressSync(encoded);
  if (packed.length + 1 > encoded.length * MAX_RATIO) return encoded;
  const out = Buffer.allocUnsafe(packed.length + 1);
  out[0] = codec instanceof Error ? BROTLI : LZ4;
  packed.copy(out, 1);
  return out;
}

/** The encoded batch of a stored one. */
export function openBatch(stored: Buffer): Buffer {
  switch (stored[0]) {
    case LZ4: {
      const codec = lz4();
      if (codec instanceof Error) throw new Error(`a batch stored with LZ4 cannot be read: the lz4-napi module did not load (${codec.message}); reinstall the dependencies with npm install`);
      return codec.uncompressSync(stored.subarray(1));
    }
    case BROTLI:
      return brotliDecompressSync(stored.subarray(1));
    case DEFLATED:
      return inflateRawSync(stored.subarray(1));
    default:
      return stored;
  }
}

/** The fallback when lz4-napi is missing: Brotli quality 0 (~1.7x LZ4's time to compress, ~10x to read). */
function brotliOf(encoded: Buffer, missing: Error): Buffer {
  if (!warned) {
    warned = true;
    getLogger('log.embedded').warn(`lz4-napi did not load (${missing.message}): the embedded log compresses batches with Brotli instead, which is slower; reinstall the dependencies with npm install`);
  }
  return brotliCompressSync(encoded, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 0, [constants.BROTLI_PARAM_LGWIN]: 18, [constants.BROTLI_PARAM_SIZE_HINT]: encoded.length },
  });
}
