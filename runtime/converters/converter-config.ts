/** The key every Kafka converter config has (ConverterConfig), and the config shared by converters. */
import { ConfigSpec } from '../config/config-spec.js';
import { Validators } from '../config/validators.js';

export const CONVERTER_TYPE_CONFIG = 'converter.type';

/**
 * `converter.type`: key, value or header. Kafka sets it itself from `configure(configs, isKey)`;
 * a header converter may be given it. Optional here because the runtime passes `isKey` instead.
 */
export function converterConfigSpec(): ConfigSpec {
  return new ConfigSpec().define({
    name: CONVERTER_TYPE_CONFIG,
    type: 'string',
    default: null,
    validator: Validators.oneOf('key', 'value', 'header'),
    importance: 'low',
    doc: 'How this converter will be used: key, value or header.',
  });
}

/** The configs with `converter.type` set as Kafka's `configure(configs, isKey)` does. */
export function withConverterType(configs: Record<string, string>, isKey: boolean | undefined): Record<string, string> {
  if (isKey === undefined) return configs;
  return { ...configs, [CONVERTER_TYPE_CONFIG]: isKey ? 'key' : 'value' };
}
