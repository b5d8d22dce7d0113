/**
 * GET/PATCH/DELETE /connectors/{name}/offsets: source offsets live in the offset topic, sink
 * offsets are the consumer group `connect-<name>`'s committed offsets. Shapes and messages as
 * Kafka Connect answers them.
 */
import { BadRequestError } from '../api/errors.js';
import type { SourceMap } from '../api/records.js';
import type { Log } from '../log/log.js';
import type { OffsetStore } from '../stores/offset-store.js';
import type { Worker } from '../worker/worker.js';
import type { ConnectorOffset } from './herder.js';

export interface OffsetContext {
  log: Log;
  offsetStore: OffsetStore;
  worker: Worker;
}

const ALTERED = 'The offsets for this connector have been altered successfully';
const ALTERED_FRAMEWORK = 'The Connect framework-managed offsets for this connector have been altered successfully. However, if this connector manages offsets externally, they will need to be manually altered in the system that the connector uses.';
const RESET = 'The offsets for this connector have been reset successfully';
const RESET_FRAMEWORK = 'The Connect framework-managed offsets for this connector have been reset successfully. However, if this connector manages offsets externally, they will need to be manually reset in the system that the connector uses.';

export async function readOffsets(ctx: OffsetContext, name: string, config: Record<string, string>): Promise<ConnectorOffset[]> {
  if (ctx.worker.connectorType(config) === 'sink') {
    const committed = await ctx.log.admin().groupOffsets(`connect-${name}`);
    return [...committed].map(([key, offset]) => {
      const at = key.lastIndexOf(':');
      return { partition: { kafka_topic: key.slice(0, at), kafka_partition: Number(key.slice(at + 1)) }, offset: { kafka_offset: offset } };
    });
  }
  return ctx.offsetStore.offsets(name).map(({ partition, offset }) => ({ partition, offset }));
}

export async function alterOffsets(ctx: OffsetContext, name: string, config: Record<string, string>, offsets: ConnectorOffset[]): Promise<{ message: string }> {
  if (!Array.isArray(offsets) || offsets.length === 0) throw new BadRequestError('The offsets to be altered may not be null or empty');
  const connector = ctx.worker.instantiate(config);
  if (connector.type === 'sink') {
    const parsed = new Map<string, number | null>();
    for (const entry of offsets) {
      const p = entry.partition ?? {};
      const topic = p.kafka_topic;
      const partition = p.kafka_partition;
      if (typeof topic !== 'string' || !Number.isInteger(partition)) {
        throw new BadRequestError(`Partitions of sink connectors must have a string "kafka_topic" and an integer "kafka_partition": ${JSON.stringify(p)}`);
      }
      const off = entry.offset === null || entry.offset === undefined ? null : entry.offset.kafka_offset;
      if (off !== null && (!Number.isInteger(off) || (off as number) < 0)) {
        throw new BadRequestError(`Offsets of sink connectors must have a non-negative integer "kafka_offset": ${JSON.stringify(entry.offset)}`);
      }
      parsed.set(`${topic}:${partition as number}`, off as number | null);
    }
    const accepted = await connector.alterOffsets(config, parsed);
    await ctx.log.admin().alterGroupOffsets(`connect-${name}`, parsed);
    return { message: accepted ? ALTERED : ALTERED_FRAMEWORK };
  }
  const entries: Array<[SourceMap, SourceMap | null]> = offsets.map((entry) => {
    if (!entry.partition || typeof entry.partition !== 'object') throw new BadRequestError('Source partitions may not be null');
    if (entry.offset !== null && typeof entry.offset !== 'object') throw new BadRequestError(`Source offsets must be objects or null: ${JSON.stringify(entry.offset)}`);
    return [entry.partition as SourceMap, (entry.offset ?? null) as SourceMap | null];
  });
  const accepted = await connector.alterOffsets(config, new Map(entries));
  await ctx.offsetStore.write(name, entries);
  return { message: accepted ? ALTERED : ALTERED_FRAMEWORK };
}

export async function resetOffsets(ctx: OffsetContext, name: string, config: Record<string, string>): Promise<{ message: string }> {
  const connector = ctx.worker.instantiate(config);
  if (connector.type === 'sink') {
    const committed = await ctx.log.admin().groupOffsets(`connect-${name}`);
    const accepted = await connector.alterOffsets(config, new Map([...committed.keys()].map((k) => [k, null])));
    await ctx.log.admin().deleteGroup(`connect-${name}`);
    return { message: accepted ? RESET : RESET_FRAMEWORK };
  }
  const entries: Array<[SourceMap, SourceMap | null]> = ctx.offsetStore.offsets(name).map(({ partition }) => [partition, null]);
  const accepted = await connector.alterOffsets(config, new Map(entries));
  if (entries.length > 0) await ctx.offsetStore.write(name, entries);
  return { message: accepted ? RESET : RESET_FRAMEWORK };
}
