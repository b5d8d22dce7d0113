/**
 * Source offsets in a compacted topic, keyed as Kafka Connect keys them: the JSON text
 * `["<connector>",{<source partition>}]`, with the offset's JSON as the value (null deletes it).
 * Lookups compare partitions by content, whatever the key order inside the JSON object.
 */
import { canonicalJson } from '../api/canonical-json.js';
import type { SourceMap } from '../api/records.js';
import { getLogger } from '../api/logger.js';
import type { Log } from '../log/log.js';
import { TopicBackedStore, parseJsonValue } from './compacted-topic.js';

const log = getLogger('stores.offsets');

export class OffsetStore extends TopicBackedStore {
  /** connector -> canonical partition text -> [partition, offset] */
  private readonly data = new Map<string, Map<string, [SourceMap, SourceMap]>>();
  /**
   * Awaited after each acknowledged write (offset-file.ts keeps Kafka's offset file in step), so
   * the file holds an offset before the task hears it is stored (a slot is acknowledged then).
   */
  onWrite: (() => Promise<void>) | null = null;

  get(connector: string, partition: SourceMap): SourceMap | null {
    return this.data.get(connector)?.get(canonical(partition))?.[1] ?? null;
  }

  offsets(connector: string): Array<{ partition: SourceMap; offset: SourceMap }> {
    return [...(this.data.get(connector)?.values() ?? [])].map(([partition, offset]) => ({ partition, offset }));
  }

  /** Writes offsets of one connector in one acknowledged batch; a null offset deletes the partition's. */
  async write(connector: string, entries: Array<[SourceMap, SourceMap | null]>): Promise<void> {
    await this.topic.writeMany(entries.map(([partition, offset]) => ({ key: JSON.stringify([connector, partition]), value: offset })));
    await this.onWrite?.();
  }

  /** Every stored offset of every connector. */
  all(): Array<{ connector: string; partition: SourceMap; offset: SourceMap }> {
    return [...this.data].flatMap(([connector, byPartition]) => [...byPartition.values()].map(([partition, offset]) => ({ connector, partition, offset })));
  }

  protected apply(key: string, raw: Uint8Array | null): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(key);
    } catch {
      return void log.warn(`offset topic: ignoring a record whose key is not JSON: ${key.slice(0, 100)}`);
    }
    if (!Array.isArray(parsed) || parsed.length !== 2 || typeof parsed[0] !== 'string' || typeof parsed[1] !== 'object' || parsed[1] === null) {
      return void log.warn(`offset topic: ignoring a record whose key is not ["connector",{partition}]: ${key.slice(0, 100)}`);
    }
    const [connector, partition] = parsed as [string, SourceMap];
    const value = parseJsonValue(raw, `offset of ${key}`, (m) => log.error(m));
    if (value === undefined) return;
    const byPartition = this.data.get(connector) ?? new Map<string, [SourceMap, SourceMap]>();
    if (value === null) byPartition.delete(canonical(partition));
    else byPartition.set(canonical(partition), [partition, value as SourceMap]);
    if (byPartition.size === 0) this.data.delete(connector);
    else this.data.set(connector, byPartition);
  }
}

/** Partitions compare by content, whatever the key order inside their JSON. */
export const canonical = canonicalJson;
