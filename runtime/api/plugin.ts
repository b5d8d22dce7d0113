/**
 * What a plugin is to the runtime: a kind, the class names users write in configs (the Java name
 * first, then aliases), a version and a factory. Each plugin module exports one or more of these.
 */
import type { Converter, HeaderConverter } from './converter.js';
import type { SinkConnector, SourceConnector } from './connector.js';
import type { Predicate, Transformation } from './transformation.js';

export type PluginKind = 'source' | 'sink' | 'converter' | 'header_converter' | 'transformation' | 'predicate';

interface PluginOf<K extends PluginKind, T> {
  kind: K;
  /** The name shown by GET /connector-plugins: the Java class name where Kafka has one. */
  className: string;
  /** Other names that resolve to this plugin: short names, `FileStreamSource`, ... */
  aliases?: string[];
  version: string;
  create(): T;
}

export type PluginDescriptor =
  | PluginOf<'source', SourceConnector>
  | PluginOf<'sink', SinkConnector>
  | PluginOf<'converter', Converter>
  | PluginOf<'header_converter', HeaderConverter>
  | PluginOf<'transformation', Transformation>
  | PluginOf<'predicate', Predicate>;

export type PluginInstance<K extends PluginKind> = Extract<PluginDescriptor, { kind: K }> extends PluginOf<K, infer T> ? T : never;
