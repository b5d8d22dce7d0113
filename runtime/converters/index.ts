/** Kafka Connect's converters and header converters, as plugin descriptors for the worker. */
import type { Converter, HeaderConverter } from '../api/converter.js';
import type { PluginDescriptor } from '../api/plugin.js';
import { ByteArrayConverter, BYTE_ARRAY_CONVERTER_CLASS } from './byte-array-converter.js';
import { JsonConverter, JSON_CONVERTER_CLASS } from './json-converter.js';
import { BooleanConverter, DoubleConverter, FloatConverter, IntegerConverter, LongConverter, ShortConverter } from './number-converters.js';
import { SimpleHeaderConverter, SIMPLE_HEADER_CONVERTER_CLASS } from './simple-header-converter.js';
import { StringConverter, STRING_CONVERTER_CLASS } from './string-converter.js';

export { ByteArrayConverter } from './byte-array-converter.js';
export { JsonConverter, jsonConverterConfigSpec } from './json-converter.js';
export { BooleanConverter, DoubleConverter, FloatConverter, IntegerConverter, LongConverter, ShortConverter } from './number-converters.js';
export { SimpleHeaderConverter } from './simple-header-converter.js';
export { StringConverter } from './string-converter.js';
export { valuesToString } from './values-text.js';
export { parseValuesString } from './values-parser.js';

const VERSION = '0.1.0';

/**
 * A class usable as a converter and as a header converter gets two descriptors. Aliases follow
 * Kafka: the simple class name, and for converters the name without its `Converter` suffix.
 */
function both(className: string, create: () => Converter & HeaderConverter): PluginDescriptor[] {
  const simple = className.slice(className.lastIndexOf('.') + 1);
  return [
    { kind: 'converter', className, aliases: [simple, simple.replace(/Converter$/, '')], version: VERSION, create },
    { kind: 'header_converter', className, aliases: [simple], version: VERSION, create },
  ];
}

const PACKAGE = 'org.apache.kafka.connect.converters';

export const converterPlugins: PluginDescriptor[] = [
  ...both(JSON_CONVERTER_CLASS, () => new JsonConverter()),
  ...both(STRING_CONVERTER_CLASS, () => new StringConverter()),
  ...both(BYTE_ARRAY_CONVERTER_CLASS, () => new ByteArrayConverter()),
  ...both(`${PACKAGE}.ShortConverter`, () => new ShortConverter()),
  ...both(`${PACKAGE}.IntegerConverter`, () => new IntegerConverter()),
  ...both(`${PACKAGE}.LongConverter`, () => new LongConverter()),
  ...both(`${PACKAGE}.FloatConverter`, () => new FloatConverter()),
  ...both(`${PACKAGE}.DoubleConverter`, () => new DoubleConverter()),
  ...both(`${PACKAGE}.BooleanConverter`, () => new BooleanConverter()),
  {
    kind: 'header_converter',
    className: SIMPLE_HEADER_CONVERTER_CLASS,
    aliases: ['SimpleHeaderConverter', 'Simple'],
    version: VERSION,
    create: () => new SimpleHeaderConverter(),
  },
];
