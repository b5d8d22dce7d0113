import { describe, expect, it } from 'vitest';
import type { LogRecord } from '../../../runtime/log/log.js';
import { formatRecord, formatterConfig } from './record-formatter.js';
import { pluginTable } from './plugins.js';
import { topicLine } from './topics.js';

const enc = (s: string) => new TextEncoder().encode(s);
const record: LogRecord = {
  topic: 't',
  partition: 2,
  offset: 41,
  timestamp: 1700000000000,
  timestampType: 'CreateTime',
  key: enc('k1'),
  value: enc('hello'),
  headers: [{ key: 'h1', value: enc('v1') }, { key: 'h2', value: null }],
};
const config = (props: Record<string, string>) => formatterConfig(new Map(Object.entries(props)), 'consume');

describe('formatRecord', () => {
  it('prints only the value by default', () => {
    expect(formatRecord(record, config({}))).toBe('hello\n');
  });

  it('prints every column in kafka-console-consumer order', () => {
    const all = config({ 'print.timestamp': 'true', 'print.partition': 'true', 'print.offset': 'true', 'print.headers': 'true', 'print.key': 'true' });
    expect(formatRecord(record, all)).toBe('CreateTime:1700000000000\tPartition:2\tOffset:41\th1:v1,h2:null\tk1\thello\n');
  });

  it('uses key.separator, null.literal and NO_HEADERS', () => {
    const c = config({ 'print.key': 'true', 'print.headers': 'true', 'key.separator': ' | ', 'null.literal': '<null>' });
    expect(formatRecord({ ...record, key: null, value: null, headers: [] }, c)).toBe('NO_HEADERS | <null> | <null>\n');
  });

  it('refuses unknown properties', () => {
    expect(() => config({ 'print.keys': 'true' })).toThrow(/unknown --property print.keys/);
  });
});

describe('topicLine and pluginTable', () => {
  it('shows only configs that differ from the defaults, as kafka-topics does', () => {
    const line = topicLine({ name: 'orders', partitions: 3, replicationFactor: 1, configs: { 'cleanup.policy': 'compact', 'retention.ms': '604800000' } });
    expect(line).toBe('Topic: orders\tPartitionCount: 3\tReplicationFactor: 1\tConfigs: cleanup.policy=compact');
  });

  it('aligns plugin columns', () => {
    expect(pluginTable([{ class: 'a.B', type: 'source', version: '1' }])).toBe('CLASS  TYPE    VERSION\na.B    source  1\n');
  });
});
