/**
 * Topics a source connector creates (Kafka Connect's KIP-158): with the worker's
 * `topic.creation.enable` on and any `topic.creation.` key in the connector's config, a topic the
 * task writes to that does not exist yet is created with the settings of the first group in
 * `topic.creation.groups` whose `include` patterns match its name and whose `exclude` patterns do
 * not, else with the `default` group's:
 *
 *   topic.creation.default.replication.factor   required; -1 (the log's default) or at least 1
 *   topic.creation.default.partitions           required; -1 or at least 1
 *   topic.creation.default.<topic config>       e.g. cleanup.policy, compression.type, retention.ms
 *   topic.creation.<group>.include / .exclude   lists of regexes matching whole topic names
 *   topic.creation.<group>.replication.factor   / .partitions: the default group's when absent
 *   topic.creation.<group>.<topic config>       the group's own only (nothing inherited)
 *
 * The default group's include/exclude are ignored (it takes every topic no other group took).
 */
import type { NewTopic } from '../log/log.js';
import { withPrefix } from '../config/config-spec.js';
import { compileFullMatch, regexError } from '../transforms/java-regex.js';
import { rawList } from '../transforms/support.js';

const PREFIX = 'topic.creation.';
const DEFAULT_GROUP = 'default';
const GROUP_KEYS = new Set(['include', 'exclude', 'replication.factor', 'partitions']);

export interface TopicCreationGroup {
  name: string;
  include: RegExp[];
  exclude: RegExp[];
  /** -1: the log's own default. */
  partitions: number;
  replicationFactor: number;
  /** Topic configs for the topics this group creates. */
  configs: Record<string, string>;
}

/** A config problem, on the key a user would fix (Kafka's wording). */
export interface TopicCreationProblem {
  key: string;
  message: string;
}

/** Whether the connector's config asks for topic creation at all (any `topic.creation.` key). */
export function usesTopicCreation(props: Record<string, string>): boolean {
  return Object.keys(props).some((k) => k.startsWith(PREFIX));
}

function countProblem(props: Record<string, string>, key: string, required: boolean): TopicCreationProblem | null {
  const raw = props[key];
  if (raw === undefined) return required ? { key, message: `Missing required configuration "${key}" which has no default value.` } : null;
  const n = Number(raw.trim());
  if (raw.trim() === '' || !Number.isInteger(n)) return { key, message: `Invalid value ${raw} for configuration ${key}: Not a number of type INT` };
  if (n !== -1 && n < 1) return { key, message: `Invalid value ${n} for configuration ${key}: Value must be -1 or at least 1` };
  return null;
}

/** Everything wrong with the topic.creation.* keys; none when topic creation is not used. */
export function topicCreationProblems(props: Record<string, string>): TopicCreationProblem[] {
  if (!usesTopicCreation(props)) return [];
  const problems: TopicCreationProblem[] = [];
  const add = (p: TopicCreationProblem | null) => p && problems.push(p);
  add(countProblem(props, `${PREFIX}${DEFAULT_GROUP}.replication.factor`, true));
  add(countProblem(props, `${PREFIX}${DEFAULT_GROUP}.partitions`, true));
  const aliases = rawList(props, `${PREFIX}groups`);
  if (new Set(aliases).size < aliases.length) add({ key: `${PREFIX}groups`, message: `Invalid value [${aliases.join(', ')}] for configuration ${PREFIX}groups: Duplicate alias provided.` });
  for (const alias of new Set(aliases)) {
    if (alias === DEFAULT_GROUP) continue;
    add(countProblem(props, `${PREFIX}${alias}.replication.factor`, false));
    add(countProblem(props, `${PREFIX}${alias}.partitions`, false));
    for (const which of ['include', 'exclude']) {
      const key = `${PREFIX}${alias}.${which}`;
      for (const pattern of rawList(props, key)) {
        const err = regexError(pattern);
        if (err) add({ key, message: `Invalid value ${pattern} for configuration ${key}: ${err}` });
      }
    }
  }
  return problems;
}

/** The group's own topic configs: its keys other than include, exclude, replication.factor and partitions. */
function groupConfigs(props: Record<string, string>, group: string): Record<string, string> {
  return Object.fromEntries(Object.entries(withPrefix(props, `${PREFIX}${group}.`)).filter(([name]) => !GROUP_KEYS.has(name)));
}

export class TopicCreation {
  private constructor(
    /** The listed groups in order, without the default. */
    readonly groups: TopicCreationGroup[],
    readonly defaultGroup: TopicCreationGroup,
  ) {}

  /**
   * The connector's topic creation, or null when it creates no topics (the worker's
   * topic.creation.enable is off, or the config has no topic.creation.* key). Throws on the
   * problems topicCreationProblems() lists: validation refuses such a config before a task runs.
   */
  static fromConfig(props: Record<string, string>, workerEnabled: boolean): TopicCreation | null {
    if (!workerEnabled || !usesTopicCreation(props)) return null;
    const problems = topicCreationProblems(props);
    if (problems.length > 0) throw new Error(problems.map((p) => p.message).join('\n'));
    const count = (group: string, name: string, fallback: number) => {
      const raw = props[`${PREFIX}${group}.${name}`];
      return raw === undefined ? fallback : Number(raw.trim());
    };
    const defaultGroup: TopicCreationGroup = {
      name: DEFAULT_GROUP,
      include: [/^[\s\S]*$/],
      exclude: [],
      partitions: count(DEFAULT_GROUP, 'partitions', -1),
      replicationFactor: count(DEFAULT_GROUP, 'replication.factor', -1),
      configs: groupConfigs(props, DEFAULT_GROUP),
    };
    const groups = [...new Set(rawList(props, `${PREFIX}groups`))].filter((a) => a !== DEFAULT_GROUP).map((name) => ({
      name,
      include: rawList(props, `${PREFIX}${name}.include`).map(compileFullMatch),
      exclude: rawList(props, `${PREFIX}${name}.exclude`).map(compileFullMatch),
      partitions: count(name, 'partitions', defaultGroup.partitions),
      replicationFactor: count(name, 'replication.factor', defaultGroup.replicationFactor),
      configs: groupConfigs(props, name),
    }));
    return new TopicCreation(groups, defaultGroup);
  }

  /** The first listed group that takes the topic (exclusions win over inclusions), else the default. */
  groupFor(topic: string): TopicCreationGroup {
    return this.groups.find((g) => !g.exclude.some((r) => r.test(topic)) && g.include.some((r) => r.test(topic))) ?? this.defaultGroup;
  }

  /** The topic to create; -1 counts leave the choice to the log (Kafka's broker defaults). */
  newTopic(topic: string): { group: string; topic: NewTopic } {
    const g = this.groupFor(topic);
    return {
      group: g.name,
      topic: {
        name: topic,
        ...(g.partitions === -1 ? {} : { partitions: g.partitions }),
        ...(g.replicationFactor === -1 ? {} : { replicationFactor: g.replicationFactor }),
        configs: { ...g.configs },
      },
    };
  }
}
