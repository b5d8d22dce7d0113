/**
 * Field paths as `field.syntax.version` defines them (KIP-821). V1: the whole text names one top-level
 * field. V2: dots separate nested steps; a step wrapped in backticks may contain dots, and a backtick
 * right before a dot is kept literally when escaped with a backslash (`` `a.b\`.c`.d ``).
 */
import { ConfigSpec, Struct, Validators, type Field, type Schema } from '../api/index.js';
import { requireMapOrNull, requireStructOrNull } from './support.js';

export type FieldSyntaxVersion = 'V1' | 'V2';

export const FIELD_SYNTAX_VERSION_KEY = 'field.syntax.version';

/** Adds the `field.syntax.version` key to a transform's spec. */
export function withFieldSyntaxVersion(spec: ConfigSpec): ConfigSpec {
  return spec.define({
    name: FIELD_SYNTAX_VERSION_KEY,
    type: 'string',
    default: 'V1',
    importance: 'high',
    validator: Validators.oneOfIgnoreCase('V1', 'V2'),
    doc: 'Defines the version of the syntax to access fields. If set to `V1`, then the field paths are limited to access the elements at the root level of the struct or map. '
      + 'If set to `V2`, the syntax will support accessing nested elements. To access nested elements, dotted notation is used. '
      + 'If dots are already included in the field name, then backtick pairs can be used to wrap field names containing dots. '
      + 'E.g. to access the subfield `baz` from a field named "foo.bar" in a struct/map the following format can be used to access its elements: "`foo.bar`.baz".',
  });
}

export function syntaxVersionOf(raw: string | null | undefined): FieldSyntaxVersion {
  return raw?.toUpperCase() === 'V2' ? 'V2' : 'V1';
}

export class FieldPath {
  readonly steps: readonly string[];

  /** Throws an Error on an unclosed backtick (V2). */
  constructor(readonly text: string, version: FieldSyntaxVersion) {
    this.steps = version === 'V1' ? [text] : parseV2(text);
  }

  /** The field the path names in a struct schema, or null. */
  fieldFrom(schema: Schema | null): Field | null {
    let current = schema;
    for (let i = 0; i < this.steps.length; i++) {
      if (!current || current.type !== 'struct') return null;
      const field = current.field(this.steps[i]!);
      if (!field) return null;
      if (i === this.steps.length - 1) return field;
      current = field.schema;
    }
    return null;
  }

  /** The value at the path in a Struct; null when any step is missing or null. */
  valueFromStruct(struct: Struct | null, replaceNullWithDefault = true): unknown {
    let current = struct;
    for (let i = 0; i < this.steps.length; i++) {
      if (!current) return null;
      const step = this.steps[i]!;
      if (!current.schema.field(step)) return null;
      if (i === this.steps.length - 1) return replaceNullWithDefault ? current.get(step) : current.getWithoutDefault(step);
      current = requireStructOrNull(current.get(step), 'nested field access');
    }
    return null;
  }

  /** The value at the path in a schemaless map; null when any step is missing. */
  valueFromMap(map: Record<string, unknown> | null): unknown {
    let current = map;
    for (let i = 0; i < this.steps.length; i++) {
      if (!current) return null;
      const step = this.steps[i]!;
      if (i === this.steps.length - 1) return current[step] ?? null;
      current = requireMapOrNull(current[step], 'nested field access');
    }
    return null;
  }
}

function incomplete(path: string, at: number): Error {
  return new Error(`Incomplete backtick pair in path: [${path}], consider adding a backslash before backtick at position ${at} to escape it`);
}

function parseV2(path: string): string[] {
  if (path === '') return [''];
  const steps: string[] = [];
  let i = 0;
  while (i < path.length) {
    if (path[i] !== '`') {
      const dot = path.indexOf('.', i);
      steps.push(dot < 0 ? path.slice(i) : path.slice(i, dot));
      i = dot < 0 ? path.length : dot + 1;
      continue;
    }
    const open = i;
    let name = '';
    let from = i + 1;
    let searchAt = from;
    for (;;) {
      const tick = path.indexOf('`', searchAt);
      if (tick < 0) throw incomplete(path, open);
      const escaped = path[tick - 1] === '\\';
      if (tick === path.length - 1) {
        if (escaped) throw incomplete(path, open);
        steps.push(name + path.slice(from, tick));
        i = tick + 1;
        break;
      }
      if (path[tick + 1] !== '.') {
        // A backtick inside the name: only one followed by a dot (or the end) closes it.
        searchAt = tick + 1;
        continue;
      }
      if (escaped) {
        name += `${path.slice(from, tick - 1)}\``;
        from = searchAt = tick + 1;
        continue;
      }
      steps.push(name + path.slice(from, tick));
      i = tick + 2;
      break;
    }
  }
  if (path.endsWith('.')) steps.push('');
  return steps;
}
