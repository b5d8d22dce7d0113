/**
 * Topic configs the embedded log acts on, with Kafka's broker defaults. Other keys (segment.ms,
 * min.insync.replicas, ...) are stored and described as given but have no effect here.
 */
import { LogError } from '../log.js';

export const TOPIC_CONFIG_DEFAULTS: Readonly<Record<string, string>> = {
  'cleanup.policy': 'delete',
  'retention.ms': '604800000',
  'retention.bytes': '-1',
  'delete.retention.ms': '86400000',
  'min.compaction.lag.ms': '0',
  'message.timestamp.type': 'CreateTime',
  'compression.type': 'producer',
};

/** What the producer and cleaner read from a topic's configs. */
export interface TopicPolicy {
  compact: boolean;
  delete: boolean;
  retentionMs: number;
  retentionBytes: number;
  deleteRetentionMs: number;
  minCompactionLagMs: number;
  logAppendTime: boolean;
  /** Batches are stored deflated (batch-compression.ts) unless compression.type=uncompressed. */
  compress: boolean;
}

const TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;

export function validateTopicName(name: string): void {
  if (!TOPIC_NAME.test(name) || name === '.' || name === '..') {
    throw new LogError(
      `invalid topic name '${name}': use 1-249 characters of ASCII letters, digits, '.', '_' and '-'`,
      'INVALID_TOPIC_EXCEPTION',
      false,
    );
  }
}

function invalid(key: string, value: string, expected: string): LogError {
  return new LogError(`invalid value '${value}' for topic config ${key}: expected ${expected}`, 'INVALID_CONFIG', false);
}

function policies(value: string): string[] {
  return value.split(',').map((p) => p.trim());
}

/** Rejects values the log would misread; keys it does not act on pass through untouched. */
export function validateTopicConfigs(configs: Record<string, string>): void {
  for (const [key, value] of Object.entries(configs)) {
    switch (key) {
      case 'cleanup.policy':
        if (!policies(value).every((p) => p === 'delete' || p === 'compact')) {
          throw invalid(key, value, 'delete, compact or compact,delete');
        }
        break;
      case 'retention.ms':
      case 'retention.bytes':
        if (!/^-?\d+$/.test(value) || Number(value) < -1) throw invalid(key, value, 'an integer >= -1');
        break;
      case 'delete.retention.ms':
      case 'min.compaction.lag.ms':
        if (!/^\d+$/.test(value)) throw invalid(key, value, 'an integer >= 0');
        break;
      case 'compression.type':
        if (!['uncompressed', 'producer', 'gzip', 'snappy', 'lz4', 'zstd'].includes(value)) throw invalid(key, value, 'uncompressed, producer, gzip, snappy, lz4 or zstd');
        break;
      case 'message.timestamp.type':
        if (value !== 'CreateTime' && value !== 'LogAppendTime') throw invalid(key, value, 'CreateTime or LogAppendTime');
        break;
    }
  }
}

export function effectiveConfigs(configs: Record<string, string>): Record<string, string> {
  return { ...TOPIC_CONFIG_DEFAULTS, ...configs };
}

export function topicPolicy(configs: Record<string, string>): TopicPolicy {
  const all = effectiveConfigs(configs);
  const cleanup = policies(all['cleanup.policy']!);
  return {
    compact: cleanup.includes('compact'),
    delete: cleanup.includes('delete'),
    retentionMs: Number(all['retention.ms']),
    retentionBytes: Number(all['retention.bytes']),
    deleteRetentionMs: Number(all['delete.retention.ms']),
    minCompactionLagMs: Number(all['min.compaction.lag.ms']),
    logAppendTime: all['message.timestamp.type'] === 'LogAppendTime',
    compress: all['compression.type'] !== 'uncompressed',
  };
}
