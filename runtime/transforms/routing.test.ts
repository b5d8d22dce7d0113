import { describe, expect, it } from 'vitest';
import { ConnectHeaders, SinkRecord, SourceRecord } from '../api/index.js';
import { Filter } from './filter.js';
import { transformPlugins } from './index.js';
import { HasHeaderKey } from './predicates/has-header-key.js';
import { RecordIsTombstone } from './predicates/record-is-tombstone.js';
import { TopicNameMatches } from './predicates/topic-name-matches.js';
import { TimestampRouter } from './timestamp-router.js';

describe('TimestampRouter', () => {
  it('appends the record date to the topic by default', () => {
    const t = new TimestampRouter();
    t.configure({});
    expect(t.apply(new SourceRecord({ topic: 'orders', timestamp: Date.UTC(2024, 0, 31, 23) }))!.topic).toBe('orders-20240131');
    const custom = new TimestampRouter();
    custom.configure({ 'topic.format': '${timestamp}/${topic}', 'timestamp.format': 'yyyy-MM' });
    expect(custom.apply(new SinkRecord({ topic: 'o', kafkaPartition: 0, kafkaOffset: 0, timestamp: 0 }))!.topic).toBe('1970-01/o');
    expect(() => t.apply(new SourceRecord({ topic: 'orders' }))).toThrow(/Timestamp missing on record/);
  });
});

describe('Filter', () => {
  it('drops every record', () => {
    expect(new Filter().apply(new SourceRecord({ topic: 't' }))).toBeNull();
  });
});

describe('predicates', () => {
  it('TopicNameMatches matches the whole topic name', () => {
    const p = new TopicNameMatches();
    p.configure({ pattern: 'test-.*' });
    expect(p.test(new SourceRecord({ topic: 'test-orders' }))).toBe(true);
    expect(p.test(new SourceRecord({ topic: 'my-test-orders' }))).toBe(false);
    expect(() => new TopicNameMatches().configure({ pattern: '' })).toThrow(/non-empty/);
    expect(() => new TopicNameMatches().configure({ pattern: '[' })).toThrow(/regex/);
  });

  it('HasHeaderKey and RecordIsTombstone', () => {
    const h = new HasHeaderKey();
    h.configure({ name: 'trace' });
    expect(h.test(new SourceRecord({ topic: 't', headers: new ConnectHeaders().addString('trace', null) }))).toBe(true);
    expect(h.test(new SourceRecord({ topic: 't' }))).toBe(false);
    const tomb = new RecordIsTombstone();
    expect(tomb.test(new SourceRecord({ topic: 't', key: 'k', value: null }))).toBe(true);
    expect(tomb.test(new SourceRecord({ topic: 't', key: 'k', value: 'v' }))).toBe(false);
  });
});

describe('transformPlugins', () => {
  it('registers every Kafka transform and predicate under its class name and alias', () => {
    const names = transformPlugins.map((p) => p.className);
    expect(names).toContain('org.apache.kafka.connect.transforms.Cast$Value');
    expect(names).toContain('org.apache.kafka.connect.transforms.predicates.RecordIsTombstone');
    expect(transformPlugins.find((p) => p.aliases?.includes('RegexRouter'))!.kind).toBe('transformation');
    expect(transformPlugins).toHaveLength(29);
    for (const p of transformPlugins) expect(p.create().config().definitions()).toBeInstanceOf(Array);
  });
});
