/**
 * Debezium's extended headers (`extended.headers.enabled`, on by default since Debezium 3.2.1): every
 * data change event, its tombstone included, carries `__debezium.context.connectorLogicalName` (the
 * topic prefix), `__debezium.context.taskId` ("0"), `__debezium.context.connectorName`
 * ("postgresql") and `__debezium.context.runId` (a UUID new at each task start). Transaction,
 * heartbeat and logical message records carry none, as in Debezium 3.6.1's output.
 */
import { randomBytes } from 'node:crypto';
import { Schemas, type Header } from '../../runtime/api/index.js';

export const CONTEXT_HEADER_PREFIX = '__debezium.context.';

/** The four headers of one task run; Header objects are shared by every record of the run (never changed). */
export function contextHeaders(topicPrefix: string, runId = uuidV7()): readonly Header[] {
  const header = (name: string, value: string): Header => ({ key: `${CONTEXT_HEADER_PREFIX}${name}`, schema: Schemas.STRING, value });
  return Object.freeze([header('connectorLogicalName', topicPrefix), header('taskId', '0'), header('connectorName', 'postgresql'), header('runId', runId)]);
}

/** A time-ordered UUID (version 7), the kind Debezium's run ids are. */
export function uuidV7(nowMs = Date.now()): string {
  const b = randomBytes(16);
  b.writeUIntBE(nowMs, 0, 6);
  b[6] = 0x70 | (b[6]! & 0x0f);
  b[8] = 0x80 | (b[8]! & 0x3f);
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
