/**
 * Kafka's default partitioner for keyed records: murmur2 of the key bytes, made positive by masking
 * the sign bit, modulo the partition count. Matching it bit for bit means a record keyed `k` lands in
 * the same partition whether tsconnect writes it to the embedded log or to a Kafka cluster, and a
 * Java producer and tsconnect agree on where a key lives.
 */

const SEED = 0x9747b28c;
const M = 0x5bd1e995;
const R = 24;

/** The 32-bit murmur2 hash as Kafka's Java client computes it, as a signed 32-bit integer. */
export function murmur2(data: Uint8Array): number {
  const length = data.length;
  let h = (SEED ^ length) | 0;
  const whole = length & ~3;
  for (let i = 0; i < whole; i += 4) {
    let k = data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24);
    k = Math.imul(k, M);
    k ^= k >>> R;
    k = Math.imul(k, M);
    h = Math.imul(h, M);
    h ^= k;
  }
  // The last 1-3 bytes, as the reference algorithm's fall-through switch takes them.
  const tail = length & 3;
  if (tail > 0) {
    if (tail === 3) h ^= data[whole + 2]! << 16;
    if (tail >= 2) h ^= data[whole + 1]! << 8;
    h ^= data[whole]!;
    h = Math.imul(h, M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

/** Kafka's `Utils.toPositive`: clears the sign bit (not Math.abs, which differs for negatives). */
export function toPositive(n: number): number {
  return n & 0x7fffffff;
}

/** The partition Kafka's default partitioner picks for a non-null key. */
export function partitionForKey(key: Uint8Array, numPartitions: number): number {
  // Anything modulo 1 is 0: a one-partition topic needs no hash (a CDC key with its schema is
  // ~150 bytes, ~2% of a streamed change's main thread).
  if (numPartitions === 1) return 0;
  return toPositive(murmur2(key)) % numPartitions;
}
