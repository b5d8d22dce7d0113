/**
 * `tsconnect produce`: stdin lines to a topic, as kafka-console-producer. Lines are sent in batches
 * of what has arrived while the previous batch was being acknowledged, so a pipe goes fast and a
 * line typed at a terminal is sent at once. Input is paused while too many lines wait, so a huge
 * pipe never fills memory. At EOF it exits after every record is acknowledged.
 */
import { createInterface } from 'node:readline';
import type { Producer, ProduceRecord } from '../../../runtime/log/log.js';
import { CommandError, UsageError, keyValues, type OptionSpec } from './args.js';
import type { Subcommand } from './command.js';
import { LineFormatError, lineReaderConfig, readLine } from './line-reader.js';
import { LOG_OPTIONS, withLog } from './log-options.js';

const NAME = 'tsconnect produce';
const MAX_BATCH = 1000;
const PAUSE_ABOVE = 10_000;

const OPTIONS: OptionSpec[] = [
  { name: 'topic', kind: 'value', arg: '<name>', doc: 'the topic to write to (created with 1 partition if missing)' },
  {
    name: 'property',
    kind: 'list',
    arg: '<key=value>',
    doc: 'line format: parse.key, key.separator (\\t), parse.headers, headers.delimiter (\\t), headers.separator (,), headers.key.separator (:), null.marker, ignore.error',
  },
  ...LOG_OPTIONS,
  { name: 'help', kind: 'flag', doc: 'show this help' },
];

export const produceCommand: Subcommand = {
  name: 'produce',
  summary: 'write stdin lines to a topic, as kafka-console-producer',
  usage: `${NAME} --topic T [--property parse.key=true --property key.separator=:] [--property parse.headers=true]`,
  options: OPTIONS,
  async run(parsed) {
    const topic = parsed.values.get('topic');
    if (topic === undefined) throw new UsageError(`${NAME}: --topic is required`);
    const config = lineReaderConfig(keyValues(parsed, 'property', NAME), NAME);
    return withLog(parsed, NAME, async (log) => {
      const producer = log.producer({ clientId: 'console-producer' });
      try {
        await pump(producer, (line, n) => readLine(line, n, topic, config));
      } finally {
        await producer.close();
      }
      return 0;
    });
  },
};

async function pump(producer: Producer, toRecord: (line: string, lineNumber: number) => ProduceRecord): Promise<void> {
  const input = createInterface({ input: process.stdin, crlfDelay: Infinity });
  const queue: ProduceRecord[] = [];
  let lineNumber = 0;
  let ended = false;
  const bad: { error: Error | null } = { error: null };
  let wake: (() => void) | null = null;
  const kick = () => {
    wake?.();
    wake = null;
  };
  input.on('line', (line) => {
    if (bad.error) return;
    try {
      queue.push(toRecord(line, ++lineNumber));
    } catch (err) {
      bad.error = err as Error;
      input.close();
    }
    if (queue.length >= PAUSE_ABOVE) input.pause();
    kick();
  });
  input.on('close', () => {
    ended = true;
    kick();
  });

  for (;;) {
    if (queue.length > 0) {
      await producer.send(queue.splice(0, MAX_BATCH));
      if (queue.length < PAUSE_ABOVE / 2 && !ended) input.resume();
      continue;
    }
    if (ended) break;
    await new Promise<void>((resolve) => (wake = resolve));
  }
  await producer.flush();
  // Lines before a bad one are sent (as Kafka's producer does); the bad one stops the run.
  if (bad.error) throw bad.error instanceof LineFormatError ? new CommandError(bad.error.message) : bad.error;
}
