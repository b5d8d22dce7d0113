/**
 * The writer the crash test kills: appends numbered records in a loop and prints
 * `ack <seq> <partition> <offset>` for each record once its send() resolved.
 * Usage: vite-node crash-child.ts <dir>
 */
import { openEmbeddedLog } from './log.js';

export const CRASH_TOPIC = 'crash';

/** The value of record `seq`: its length and both ends let the reader spot a torn write. */
export function crashValue(seq: number): string {
  return `rec-${seq}-${'x'.repeat(seq % 500)}-end`;
}

async function main(dir: string): Promise<void> {
  const log = openEmbeddedLog(dir, { cleanerIntervalMs: 0 });
  await log.admin().createTopic({ name: CRASH_TOPIC, partitions: 3 });
  const producer = log.producer();
  const encoder = new TextEncoder();
  // Continue numbering after records a previous (killed) run stored.
  let seq = (await log.admin().offsets(CRASH_TOPIC)).reduce((sum, p) => sum + p.latest, 0) + 1_000_000;
  for (;;) {
    const batch = Array.from({ length: 1 + (seq % 50) }, (_, i) => {
      const n = seq + i;
      return {
        topic: CRASH_TOPIC,
        key: encoder.encode(`k${n}`),
        value: encoder.encode(crashValue(n)),
        headers: [{ key: 'seq', value: encoder.encode(String(n)) }],
      };
    });
    const meta = await producer.send(batch);
    process.stdout.write(meta.map((m, i) => `ack ${seq + i} ${m.partition} ${m.offset}\n`).join(''));
    seq += batch.length;
  }
}

const dir = process.argv[2];
if (dir) void main(dir);
