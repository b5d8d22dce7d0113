/** `tsconnect topics`: list, describe, create, alter and delete topics, as kafka-topics does. */
import type { Admin, TopicDescription } from '../../../runtime/log/log.js';
import { TOPIC_CONFIG_DEFAULTS } from '../../../runtime/log/embedded/topic-configs.js';
import { CommandError, UsageError, intOption, keyValues, type OptionSpec, type Parsed } from './args.js';
import { out, type Subcommand } from './command.js';
import { LOG_OPTIONS, withLog } from './log-options.js';

const NAME = 'tsconnect topics';
const ACTIONS = ['list', 'describe', 'create', 'delete', 'alter'] as const;
type Action = (typeof ACTIONS)[number];

const OPTIONS: OptionSpec[] = [
  { name: 'list', kind: 'flag', doc: 'list topic names, one a line' },
  { name: 'describe', kind: 'flag', doc: 'describe --topic, or every topic' },
  { name: 'create', kind: 'flag', doc: 'create --topic' },
  { name: 'delete', kind: 'flag', doc: 'delete --topic and its records' },
  { name: 'alter', kind: 'flag', doc: 'add partitions (--partitions) or set configs (--config) of --topic' },
  { name: 'topic', kind: 'value', arg: '<name>', doc: 'the topic' },
  { name: 'partitions', kind: 'value', arg: '<n>', doc: 'partition count (create: default 1; alter: the new, larger total)' },
  { name: 'replication-factor', kind: 'value', arg: '<n>', doc: 'recorded and described; the embedded log keeps one copy' },
  { name: 'config', kind: 'list', arg: '<key=value>', doc: 'a topic config such as cleanup.policy=compact (repeatable)' },
  { name: 'if-not-exists', kind: 'flag', doc: 'create: succeed quietly when the topic exists' },
  { name: 'if-exists', kind: 'flag', doc: 'delete, alter, describe: succeed quietly when the topic does not exist' },
  ...LOG_OPTIONS,
  { name: 'help', kind: 'flag', doc: 'show this help' },
];

export const topicsCommand: Subcommand = {
  name: 'topics',
  summary: 'list, describe, create, alter and delete topics',
  usage: `${NAME} --list | --describe [--topic T] | --create --topic T [--partitions N] [--config k=v ...] | --delete --topic T | --alter --topic T [--partitions N] [--config k=v ...]`,
  options: OPTIONS,
  async run(parsed) {
    const action = pickAction(parsed);
    const topic = parsed.values.get('topic');
    if (action !== 'list' && action !== 'describe' && topic === undefined) throw new UsageError(`${NAME}: --${action} needs --topic`);
    const partitions = intOption(parsed, 'partitions', NAME, 1);
    const replicationFactor = intOption(parsed, 'replication-factor', NAME, 1);
    const configs = Object.fromEntries(keyValues(parsed, 'config', NAME));
    if (action === 'alter' && partitions === undefined && Object.keys(configs).length === 0) {
      throw new UsageError(`${NAME}: --alter needs --partitions or --config`);
    }
    return withLog(parsed, NAME, async (log) => {
      const admin = log.admin();
      switch (action) {
        case 'list':
          await out((await admin.listTopics()).sort().map((t) => `${t}\n`).join(''));
          return 0;
        case 'describe':
          return describe(admin, topic, parsed.flags.has('if-exists'));
        case 'create': {
          const created = await admin.createTopic({ name: topic!, partitions, replicationFactor, configs });
          if (!created && !parsed.flags.has('if-not-exists')) throw new CommandError(`Topic '${topic}' already exists.`);
          if (created) await out(`Created topic ${topic}.\n`);
          return 0;
        }
        case 'delete':
          if (!(await exists(admin, topic!, parsed))) return 0;
          await admin.deleteTopic(topic!);
          return 0;
        case 'alter':
          if (!(await exists(admin, topic!, parsed))) return 0;
          if (partitions !== undefined) await admin.createPartitions(topic!, partitions);
          if (Object.keys(configs).length > 0) await admin.alterTopicConfigs(topic!, configs);
          return 0;
      }
    });
  },
};

function pickAction(parsed: Parsed): Action {
  const chosen = ACTIONS.filter((a) => parsed.flags.has(a));
  if (chosen.length !== 1) {
    throw new UsageError(`${NAME}: give exactly one of ${ACTIONS.map((a) => `--${a}`).join(', ')}${chosen.length > 1 ? ` (got ${chosen.map((a) => `--${a}`).join(' ')})` : ''}`);
  }
  return chosen[0]!;
}

async function exists(admin: Admin, topic: string, parsed: Parsed): Promise<boolean> {
  if (await admin.describeTopic(topic)) return true;
  if (parsed.flags.has('if-exists')) return false;
  throw new CommandError(`Topic '${topic}' does not exist.`);
}

async function describe(admin: Admin, topic: string | undefined, ifExists: boolean): Promise<number> {
  const names = topic === undefined ? (await admin.listTopics()).sort() : [topic];
  const lines: string[] = [];
  for (const name of names) {
    const d = await admin.describeTopic(name);
    if (!d) {
      if (topic !== undefined && !ifExists) throw new CommandError(`Topic '${name}' does not exist.`);
      continue;
    }
    lines.push(topicLine(d));
    for (const p of await admin.offsets(name)) {
      lines.push(`\tTopic: ${name}\tPartition: ${p.partition}\tEarliestOffset: ${p.earliest}\tLatestOffset: ${p.latest}`);
    }
  }
  await out(lines.map((l) => `${l}\n`).join(''));
  return 0;
}

/**
 * The summary line of kafka-topics --describe. Like Kafka, Configs shows what differs from the
 * broker defaults (the embedded log describes every effective config).
 */
export function topicLine(d: TopicDescription): string {
  const configs = Object.entries(d.configs)
    .filter(([k, v]) => TOPIC_CONFIG_DEFAULTS[k] !== v)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  return `Topic: ${d.name}\tPartitionCount: ${d.partitions}\tReplicationFactor: ${d.replicationFactor}\tConfigs: ${configs}`;
}
