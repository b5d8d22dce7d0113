import { describe, expect, it } from 'vitest';
import { converterPlugins } from './index.js';

describe('converterPlugins', () => {
  it('lists Kafka class names with aliases, as converters and header converters', () => {
    const find = (kind: string, name: string) =>
      converterPlugins.find((p) => p.kind === kind && (p.className === name || p.aliases?.includes(name)));
    expect(find('converter', 'org.apache.kafka.connect.json.JsonConverter')).toBeDefined();
    expect(find('converter', 'JsonConverter')?.className).toBe('org.apache.kafka.connect.json.JsonConverter');
    expect(find('header_converter', 'JsonConverter')).toBeDefined();
    expect(find('header_converter', 'org.apache.kafka.connect.storage.SimpleHeaderConverter')).toBeDefined();
    expect(find('converter', 'org.apache.kafka.connect.storage.SimpleHeaderConverter')).toBeUndefined();
    for (const name of ['StringConverter', 'ByteArrayConverter', 'IntegerConverter', 'LongConverter', 'ShortConverter', 'FloatConverter', 'DoubleConverter', 'BooleanConverter']) {
      expect(find('converter', name), name).toBeDefined();
      expect(find('header_converter', name), name).toBeDefined();
    }
    for (const p of converterPlugins) {
      expect(p.version).toBe('0.1.0');
      const instance = p.create();
      expect(instance.config().definitions()).toBeInstanceOf(Array);
    }
  });
});
