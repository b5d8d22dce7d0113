import { afterEach, describe, expect, it } from 'vitest';
import { TempLogs, bytes } from './test-support.js';

const logs = new TempLogs();
afterEach(() => logs.cleanup());

describe('EmbeddedAdmin', () => {
  it('creates, describes, lists and deletes topics', async () => {
    const admin = logs.open().admin();
    expect(await admin.createTopic({ name: 'configs', partitions: 1, replicationFactor: 3, configs: { 'cleanup.policy': 'compact', 'segment.ms': '1000' } })).toBe(true);
    expect(await admin.createTopic({ name: 'configs', partitions: 5 })).toBe(false);
    expect(await admin.createTopic({ name: 'data', partitions: 3 })).toBe(true);
    expect(await admin.describeTopic('configs')).toEqual({
      name: 'configs',
      partitions: 1,
      replicationFactor: 3,
      configs: {
        'cleanup.policy': 'compact',
        'retention.ms': '604800000',
        'retention.bytes': '-1',
        'delete.retention.ms': '86400000',
        'min.compaction.lag.ms': '0',
        'message.timestamp.type': 'CreateTime',
        'compression.type': 'producer',
        'segment.ms': '1000',
      },
    });
    expect(await admin.listTopics()).toEqual(['configs', 'data']);
    await admin.deleteTopic('data');
    expect(await admin.describeTopic('data')).toBeNull();
    expect(await admin.listTopics()).toEqual(['configs']);
    await expect(admin.deleteTopic('data')).rejects.toMatchObject({ code: 'UNKNOWN_TOPIC_OR_PARTITION' });
  });

  it('rejects bad topic names, partition counts and configs', async () => {
    const admin = logs.open().admin();
    await expect(admin.createTopic({ name: 'has:colon' })).rejects.toMatchObject({ code: 'INVALID_TOPIC_EXCEPTION' });
    await expect(admin.createTopic({ name: 'zero', partitions: 0 })).rejects.toMatchObject({ code: 'INVALID_PARTITIONS' });
    await expect(admin.createTopic({ name: 'bad', configs: { 'cleanup.policy': 'shred' } })).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
    await expect(admin.createTopic({ name: 'bad', configs: { 'retention.ms': 'soon' } })).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
  });

  it('adds partitions and alters configs', async () => {
    const admin = logs.open().admin();
    await admin.createTopic({ name: 't', partitions: 2, configs: { 'retention.ms': '1000' } });
    await admin.createPartitions('t', 4);
    await expect(admin.createPartitions('t', 3)).rejects.toMatchObject({ code: 'INVALID_PARTITIONS' });
    await admin.alterTopicConfigs('t', { 'cleanup.policy': 'compact,delete' });
    const described = await admin.describeTopic('t');
    expect(described?.partitions).toBe(4);
    expect(described?.configs['cleanup.policy']).toBe('compact,delete');
    expect(described?.configs['retention.ms']).toBe('1000');
    expect((await admin.offsets('t')).map((o) => o.partition)).toEqual([0, 1, 2, 3]);
  });

  it('reports earliest and latest offsets per partition', async () => {
    const log = logs.open();
    await log.admin().createTopic({ name: 'o', partitions: 2 });
    await log.producer().send([0, 0, 0, 1].map((partition) => ({ topic: 'o', partition, key: null, value: bytes('x') })));
    expect(await log.admin().offsets('o')).toEqual([
      { partition: 0, earliest: 0, latest: 3 },
      { partition: 1, earliest: 0, latest: 1 },
    ]);
  });

  it('reads, alters, lists and deletes group offsets', async () => {
    const log = logs.open();
    const admin = log.admin();
    expect(await admin.groupOffsets('nobody')).toEqual(new Map());
    await admin.alterGroupOffsets('g1', new Map<string, number | null>([
      ['a:0', 5],
      ['a:1', 7],
    ]));
    await admin.alterGroupOffsets('g1', new Map<string, number | null>([['a:1', null]]));
    expect(await admin.groupOffsets('g1')).toEqual(new Map([['a:0', 5]]));
    const member = log.consumer({ groupId: 'g2' });
    await member.subscribe(['a']);
    expect(await admin.listGroups()).toEqual(['g1', 'g2']);
    await expect(admin.deleteGroup('g2')).rejects.toMatchObject({ code: 'NON_EMPTY_GROUP' });
    await expect(admin.alterGroupOffsets('g2', new Map([['a:0', 1]]))).rejects.toMatchObject({ code: 'NON_EMPTY_GROUP' });
    await member.close();
    await admin.deleteGroup('g1');
    expect(await admin.listGroups()).toEqual([]);
  });

  it('drops committed offsets of a deleted topic', async () => {
    const log = logs.open();
    await log.admin().createTopic({ name: 'gone' });
    await log.admin().alterGroupOffsets('g', new Map([['gone:0', 3]]));
    await log.admin().deleteTopic('gone');
    expect(await log.admin().groupOffsets('g')).toEqual(new Map());
  });

  it('keeps one cluster id for the life of the directory', async () => {
    const dir = logs.dir();
    const first = logs.open(dir);
    const id = await first.clusterId();
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    await first.close();
    expect(await logs.open(dir).clusterId()).toBe(id);
    expect(await logs.open().clusterId()).not.toBe(id);
  });

  it('refuses calls after the log is closed', async () => {
    const log = logs.open();
    await log.close();
    expect(() => log.admin()).toThrow(/closed/);
  });
});
