/**
 * Prints a record as kafka-console-consumer's default formatter does: optional columns in the
 * order timestamp, partition, offset, headers, key, then the value, joined by key.separator.
 * Property names and defaults are Kafka's. Bytes are shown as UTF-8 text.
 */
import type { LogRecord } from '../../../runtime/log/log.js';
import { UsageError } from './args.js';

export interface FormatterConfig {
  printTimestamp: boolean;
  printPartition: boolean;
  printOffset: boolean;
  printHeaders: boolean;
  printKey: boolean;
  printValue: boolean;
  keySeparator: string;
  lineSeparator: string;
  headersSeparator: string;
  nullLiteral: string;
}

const FLAGS = {
  'print.timestamp': 'printTimestamp',
  'print.partition': 'printPartition',
  'print.offset': 'printOffset',
  'print.headers': 'printHeaders',
  'print.key': 'printKey',
  'print.value': 'printValue',
} as const;
const TEXTS = { 'key.separator': 'keySeparator', 'line.separator': 'lineSeparator', 'headers.separator': 'headersSeparator', 'null.literal': 'nullLiteral' } as const;

export function formatterConfig(props: Map<string, string>, command: string): FormatterConfig {
  const config: FormatterConfig = {
    printTimestamp: false,
    printPartition: false,
    printOffset: false,
    printHeaders: false,
    printKey: false,
    printValue: true,
    keySeparator: '\t',
    lineSeparator: '\n',
    headersSeparator: ',',
    nullLiteral: 'null',
  };
  for (const [key, raw] of props) {
    if (key in FLAGS) {
      const v = raw.trim().toLowerCase();
      if (v !== 'true' && v !== 'false') throw new UsageError(`${command}: --property ${key} must be true or false, not '${raw}'`);
      config[FLAGS[key as keyof typeof FLAGS]] = v === 'true';
    } else if (key in TEXTS) {
      config[TEXTS[key as keyof typeof TEXTS]] = raw;
    } else {
      throw new UsageError(`${command}: unknown --property ${key} (known: ${[...Object.keys(FLAGS), ...Object.keys(TEXTS)].join(', ')})`);
    }
  }
  return config;
}

const decoder = new TextDecoder();

export function formatRecord(r: LogRecord, c: FormatterConfig): string {
  const text = (b: Uint8Array | null) => (b === null ? c.nullLiteral : decoder.decode(b));
  const columns: string[] = [];
  if (c.printTimestamp) columns.push(`${r.timestampType}:${r.timestamp}`);
  if (c.printPartition) columns.push(`Partition:${r.partition}`);
  if (c.printOffset) columns.push(`Offset:${r.offset}`);
  if (c.printHeaders) {
    columns.push(r.headers.length === 0 ? 'NO_HEADERS' : r.headers.map((h) => `${h.key}:${text(h.value)}`).join(c.headersSeparator));
  }
  if (c.printKey) columns.push(text(r.key));
  if (c.printValue) columns.push(text(r.value));
  return columns.join(c.keySeparator) + c.lineSeparator;
}
