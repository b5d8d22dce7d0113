/**
 * Kafka Connect's built-in single message transforms and predicates, registered under their Java
 * class names (`org.apache.kafka.connect.transforms.Cast$Value`) with short aliases (`Cast$Value`).
 */
import type { PluginDescriptor, Predicate, Transformation } from '../api/index.js';
import { Cast } from './cast.js';
import { DropHeaders } from './drop-headers.js';
import { ExtractField } from './extract-field.js';
import { Filter } from './filter.js';
import { Flatten } from './flatten.js';
import { HeaderFrom } from './header-from.js';
import { HoistField } from './hoist-field.js';
import { InsertField } from './insert-field.js';
import { InsertHeader } from './insert-header.js';
import { MaskField } from './mask-field.js';
import { HasHeaderKey } from './predicates/has-header-key.js';
import { RecordIsTombstone } from './predicates/record-is-tombstone.js';
import { TopicNameMatches } from './predicates/topic-name-matches.js';
import { RegexRouter } from './regex-router.js';
import { ReplaceField } from './replace-field.js';
import { SetSchemaMetadata } from './set-schema-metadata.js';
import type { Side } from './support.js';
import { TimestampConverter } from './timestamp-converter.js';
import { TimestampRouter } from './timestamp-router.js';
import { ValueToKey } from './value-to-key.js';

export { TransformChain, chainConfigValues, type PluginResolver } from './chain.js';

const PACKAGE = 'org.apache.kafka.connect.transforms';
const VERSION = '0.1.0';

function transform(name: string, create: () => Transformation): PluginDescriptor {
  return { kind: 'transformation', className: `${PACKAGE}.${name}`, aliases: [name], version: VERSION, create };
}

/** The `$Key` and `$Value` variants of a transform that works on either side. */
function sided(name: string, create: (side: Side) => Transformation): PluginDescriptor[] {
  return [transform(`${name}$Key`, () => create('key')), transform(`${name}$Value`, () => create('value'))];
}

function predicate(name: string, create: () => Predicate): PluginDescriptor {
  return { kind: 'predicate', className: `${PACKAGE}.predicates.${name}`, aliases: [name], version: VERSION, create };
}

export const transformPlugins: PluginDescriptor[] = [
  ...sided('Cast', (s) => new Cast(s)),
  transform('DropHeaders', () => new DropHeaders()),
  ...sided('ExtractField', (s) => new ExtractField(s)),
  transform('Filter', () => new Filter()),
  ...sided('Flatten', (s) => new Flatten(s)),
  ...sided('HeaderFrom', (s) => new HeaderFrom(s)),
  ...sided('HoistField', (s) => new HoistField(s)),
  ...sided('InsertField', (s) => new InsertField(s)),
  transform('InsertHeader', () => new InsertHeader()),
  ...sided('MaskField', (s) => new MaskField(s)),
  transform('RegexRouter', () => new RegexRouter()),
  ...sided('ReplaceField', (s) => new ReplaceField(s)),
  ...sided('SetSchemaMetadata', (s) => new SetSchemaMetadata(s)),
  ...sided('TimestampConverter', (s) => new TimestampConverter(s)),
  transform('TimestampRouter', () => new TimestampRouter()),
  transform('ValueToKey', () => new ValueToKey()),
  predicate('TopicNameMatches', () => new TopicNameMatches()),
  predicate('HasHeaderKey', () => new HasHeaderKey()),
  predicate('RecordIsTombstone', () => new RecordIsTombstone()),
];
