/**
 * `tsconnect consume`: prints a topic's records, as kafka-console-consumer. Without --group it
 * reads the topic's partitions directly and commits nothing; with --group it joins the group
 * (or, with --partition, reads that partition for the group) and commits what it has printed.
 * It starts at the end unless --from-beginning (or --offset) says otherwise; a group starts at its
 * committed offsets when it has them.
 */
import type { Consumer, Log, TopicPartition } from '../../../runtime/log/log.js';
import { tpKey } from '../../../runtime/log/log.js';
import { CommandError, UsageError, intOption, keyValues, type OptionSpec, type Parsed } from './args.js';
import { out, type Subcommand } from './command.js';
import { LOG_OPTIONS, withLog } from './log-options.js';
import { formatRecord, formatterConfig, type FormatterConfig } from './record-formatter.js';

const NAME = 'tsconnect consume';
const POLL_MS = 500;

const OPTIONS: OptionSpec[] = [
  { name: 'topic', kind: 'value', arg: '<name>', doc: 'the topic to read' },
  { name: 'from-beginning', kind: 'flag', doc: 'start at the earliest record (a group with committed offsets starts there instead)' },
  { name: 'partition', kind: 'value', arg: '<n>', doc: 'read only this partition' },
  { name: 'offset', kind: 'value', arg: '<n|earliest|latest>', doc: 'where to start in --partition' },
  { name: 'group', kind: 'value', arg: '<id>', doc: 'consumer group: start at its committed offsets and commit what is printed' },
  { name: 'max-messages', kind: 'value', arg: '<n>', doc: 'exit after printing this many records' },
  { name: 'timeout-ms', kind: 'value', arg: '<ms>', doc: 'exit when no record arrives for this long' },
  {
    name: 'property',
    kind: 'list',
    arg: '<key=value>',
    doc: 'output: print.key, print.headers, print.offset, print.partition, print.timestamp, print.value (true), key.separator (\\t), headers.separator (,), line.separator, null.literal (null)',
  },
  ...LOG_OPTIONS,
  { name: 'help', kind: 'flag', doc: 'show this help' },
];

export const consumeCommand: Subcommand = {
  name: 'consume',
  summary: 'print records of a topic, as kafka-console-consumer',
  usage: `${NAME} --topic T [--from-beginning] [--partition N [--offset X]] [--group G] [--max-messages N] [--timeout-ms N] [--property print.key=true ...]`,
  options: OPTIONS,
  async run(parsed) {
    const o = consumeOptions(parsed);
    return withLog(parsed, NAME, async (log) => {
      const consumer = log.consumer({ groupId: o.group, clientId: 'console-consumer', autoOffsetReset: o.fromBeginning ? 'earliest' : 'latest' });
      let count = 0;
      try {
        await start(log, consumer, o);
        count = await printLoop(consumer, o);
      } finally {
        await consumer.close();
      }
      process.stderr.write(`Processed a total of ${count} messages\n`);
      return 0;
    });
  },
};

interface ConsumeOptions {
  topic: string;
  fromBeginning: boolean;
  partition: number | undefined;
  offset: number | 'earliest' | 'latest' | undefined;
  group: string | undefined;
  maxMessages: number | undefined;
  timeoutMs: number | undefined;
  format: FormatterConfig;
}

function consumeOptions(parsed: Parsed): ConsumeOptions {
  const topic = parsed.values.get('topic');
  if (topic === undefined) throw new UsageError(`${NAME}: --topic is required`);
  const partition = intOption(parsed, 'partition', NAME, 0);
  const rawOffset = parsed.values.get('offset');
  if (rawOffset !== undefined && partition === undefined) throw new UsageError(`${NAME}: --offset needs --partition`);
  if (rawOffset !== undefined && parsed.flags.has('from-beginning')) throw new UsageError(`${NAME}: give --offset or --from-beginning, not both`);
  const offset = rawOffset === 'earliest' || rawOffset === 'latest' || rawOffset === undefined ? rawOffset : intOption(parsed, 'offset', NAME, 0);
  return {
    topic,
    fromBeginning: parsed.flags.has('from-beginning'),
    partition,
    offset,
    group: parsed.values.get('group'),
    maxMessages: intOption(parsed, 'max-messages', NAME, 1),
    timeoutMs: intOption(parsed, 'timeout-ms', NAME, 1),
    format: formatterConfig(keyValues(parsed, 'property', NAME), NAME),
  };
}

async function start(log: Log, consumer: Consumer, o: ConsumeOptions): Promise<void> {
  if (o.group !== undefined && o.partition === undefined) {
    await consumer.subscribe([o.topic]);
    return;
  }
  const described = await log.admin().describeTopic(o.topic);
  if (!described) throw new CommandError(`Topic '${o.topic}' does not exist.`);
  if (o.partition !== undefined && o.partition >= described.partitions) {
    throw new CommandError(`Topic '${o.topic}' has ${described.partitions} partition(s); there is no partition ${o.partition}.`);
  }
  const partitions: TopicPartition[] =
    o.partition === undefined ? Array.from({ length: described.partitions }, (_, partition) => ({ topic: o.topic, partition })) : [{ topic: o.topic, partition: o.partition }];
  await consumer.assign(partitions);
  if (o.offset === 'earliest') await consumer.seekToBeginning(partitions);
  else if (o.offset === 'latest') await consumer.seekToEnd(partitions);
  else if (o.offset !== undefined) consumer.seek(partitions[0]!, o.offset);
}

/** Polls and prints until --max-messages, --timeout-ms or a signal; returns how many it printed. */
async function printLoop(consumer: Consumer, o: ConsumeOptions): Promise<number> {
  let stopping = false;
  const stop = () => {
    stopping = true;
    consumer.wakeup();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  let count = 0;
  let lastRecordAt = Date.now();
  try {
    while (!stopping) {
      const idleLeft = o.timeoutMs === undefined ? POLL_MS : o.timeoutMs - (Date.now() - lastRecordAt);
      if (idleLeft <= 0) break;
      const records = await consumer.poll(Math.min(idleLeft, POLL_MS));
      if (records.length === 0) continue;
      lastRecordAt = Date.now();
      const take = o.maxMessages === undefined ? records : records.slice(0, o.maxMessages - count);
      await out(take.map((r) => formatRecord(r, o.format)).join(''));
      count += take.length;
      if (o.group !== undefined) {
        const next = new Map<string, number>();
        for (const r of take) next.set(tpKey(r), r.offset + 1);
        await consumer.commit(next);
      }
      if (o.maxMessages !== undefined && count >= o.maxMessages) break;
    }
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
  return count;
}
