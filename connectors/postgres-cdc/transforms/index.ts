/** Debezium's transforms that ship with the Postgres connector, under their Java class names. */
import type { PluginDescriptor } from '../../../runtime/api/index.js';
import { VERSION } from '../version.js';
import { ExtractChangedRecordState } from './extract-changed-record-state.js';
import { ExtractNewRecordState } from './extract-new-record-state.js';

export const plugins: PluginDescriptor[] = [
  {
    kind: 'transformation',
    className: 'io.debezium.transforms.ExtractNewRecordState',
    aliases: ['ExtractNewRecordState'],
    version: VERSION,
    create: () => new ExtractNewRecordState(),
  },
  {
    kind: 'transformation',
    className: 'io.debezium.transforms.ExtractChangedRecordState',
    aliases: ['ExtractChangedRecordState'],
    version: VERSION,
    create: () => new ExtractChangedRecordState(),
  },
];
