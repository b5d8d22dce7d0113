import { describe, expect, it } from 'vitest';
import { TopicCreation, topicCreationProblems } from './topic-creation.js';

const base = { 'topic.creation.default.replication.factor': '1', 'topic.creation.default.partitions': '2' };

describe('topic creation groups', () => {
  it('is off without topic.creation.* keys or with the worker setting off', () => {
    expect(TopicCreation.fromConfig({ 'connector.class': 'X' }, true)).toBeNull();
    expect(TopicCreation.fromConfig(base, false)).toBeNull();
  });

  it('gives a topic the first listed group that includes it and does not exclude it', () => {
    const tc = TopicCreation.fromConfig({
      ...base,
      'topic.creation.default.cleanup.policy': 'compact',
      'topic.creation.groups': 'orders, audit',
      'topic.creation.orders.include': 'db\\.public\\.orders.*, db\\.public\\.items',
      'topic.creation.orders.exclude': '.*_archive',
      'topic.creation.orders.partitions': '6',
      'topic.creation.orders.retention.ms': '1000',
      'topic.creation.audit.include': 'db\\..*',
      'topic.creation.audit.replication.factor': '-1',
    }, true)!;
    expect(tc.newTopic('db.public.orders')).toEqual({ group: 'orders', topic: { name: 'db.public.orders', partitions: 6, replicationFactor: 1, configs: { 'retention.ms': '1000' } } });
    expect(tc.groupFor('db.public.items').name).toBe('orders');
    // Whole-name matches only, as Java's Matcher.matches().
    expect(tc.groupFor('db.public.items2').name).toBe('audit');
    // Exclusion wins; the next group may still take it.
    expect(tc.groupFor('db.public.orders_archive').name).toBe('audit');
    // A group's settings: its own configs only, the default's counts when it has none; -1 is left to the log.
    expect(tc.newTopic('db.public.customers')).toEqual({ group: 'audit', topic: { name: 'db.public.customers', partitions: 2, configs: {} } });
    expect(tc.newTopic('other')).toEqual({ group: 'default', topic: { name: 'other', partitions: 2, replicationFactor: 1, configs: { 'cleanup.policy': 'compact' } } });
  });

  it("ignores the default group's include and exclude, and a group named default in the list", () => {
    const tc = TopicCreation.fromConfig({ ...base, 'topic.creation.default.include': 'nothing', 'topic.creation.default.exclude': '.*', 'topic.creation.groups': 'default' }, true)!;
    expect(tc.groups).toEqual([]);
    expect(tc.newTopic('t').topic).toEqual({ name: 't', partitions: 2, replicationFactor: 1, configs: {} });
  });

  it('a group without include takes no topic', () => {
    const tc = TopicCreation.fromConfig({ ...base, 'topic.creation.groups': 'g', 'topic.creation.g.partitions': '9' }, true)!;
    expect(tc.groupFor('anything').name).toBe('default');
  });

  it('names each problem on its key, in Kafka Connect words', () => {
    expect(topicCreationProblems({ 'topic.creation.groups': 'a,a,b', 'topic.creation.default.partitions': '0', 'topic.creation.b.replication.factor': 'x', 'topic.creation.b.include': '(' })).toEqual([
      { key: 'topic.creation.default.replication.factor', message: 'Missing required configuration "topic.creation.default.replication.factor" which has no default value.' },
      { key: 'topic.creation.default.partitions', message: 'Invalid value 0 for configuration topic.creation.default.partitions: Value must be -1 or at least 1' },
      { key: 'topic.creation.groups', message: 'Invalid value [a, a, b] for configuration topic.creation.groups: Duplicate alias provided.' },
      { key: 'topic.creation.b.replication.factor', message: 'Invalid value x for configuration topic.creation.b.replication.factor: Not a number of type INT' },
      { key: 'topic.creation.b.include', message: expect.stringMatching(/^Invalid value \( for configuration topic.creation.b.include: Invalid regex/) },
    ]);
    expect(topicCreationProblems(base)).toEqual([]);
    expect(() => TopicCreation.fromConfig({ 'topic.creation.default.partitions': '1' }, true)).toThrow(/topic.creation.default.replication.factor/);
  });
});
