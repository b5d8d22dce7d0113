/**
 * A column's default (`pg_get_expr` of pg_attrdef, as the JDBC driver's COLUMN_DEF gives it) as the
 * Postgres text of the value Debezium puts in the field schema's `default`, or null for none.
 *
 * Debezium's rules: a quoted literal (`'abc'::text`, `'9223372036854775807'::bigint`) gives its
 * text; a bare one (`7`, `true`, `12.50`) gives itself; `NULL::type` gives none; a function call
 * (`nextval('t_id_seq'::regclass)`, `now()`, `gen_random_uuid()`) or CURRENT_TIMESTAMP and friends
 * give a placeholder (0, '', epoch), so a serial key gets `"default": 0`. Types without a rule
 * (bytea, arrays, ranges, domains...) get none; so does a value that does not parse.
 */
import type { ColumnType } from './column-type.js';

const LITERAL = /'([^']*(?:''[^']*)*)'/;
const FUNCTION = /^[(]?[A-Za-z0-9_.]+\((?:.+(?:, ?.+)*)?\)/;
const CURRENT_DATE_TIMES = new Set(['current_timestamp', 'current_time', 'current_date', 'localtime', 'localtimestamp']);
const INTEGER = /^[+-]?\d+$/;
/** What Java's Float/Double.parseFloat take: decimals, exponents, NaN and Infinity. */
const FLOATING = /^[+-]?(NaN|Infinity|(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)[fFdD]?$/;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

const INT_RANGES: Record<string, [bigint, bigint]> = {
  int2: [-32768n, 32767n], int4: [-2147483648n, 2147483647n], int8: [-9223372036854775808n, 9223372036854775807n],
};

/** Types whose expression Debezium trims first. */
const TRIMMED = new Set(['bit', 'varbit', 'bool', 'numeric', 'float4', 'float8', 'int2', 'int4', 'int8', 'uuid', 'date', 'time', 'timestamp', 'timestamptz', 'interval']);

/** The literal inside the expression, `placeholder` for a generated value, null for NULL; throws when there is none. */
function extract(expr: string, placeholder: string): string | null {
  if (FUNCTION.test(expr) || CURRENT_DATE_TIMES.has(expr.toLowerCase())) return placeholder;
  if (!expr.includes("'")) return expr.startsWith('NULL::') ? null : expr;
  const m = LITERAL.exec(expr);
  if (!m) throw new Error(`no literal in ${expr}`);
  return m[1]!.replace(/''/g, "'");
}

function nullOr(expr: string, parse: (e: string) => string | null): string | null {
  return expr.startsWith('NULL::') ? null : parse(expr);
}

function checked(text: string | null, re: RegExp): string | null {
  if (text !== null && !re.test(text)) throw new Error(`not a number: ${text}`);
  return text;
}

/** The enum label of `'label'::type` when the cast names the column's enum type. */
function enumDefault(typeName: string, expr: string): string | null {
  const cast = expr.lastIndexOf('::');
  if (cast < 0) return null;
  const suffix = expr.slice(cast + 2).split('.').pop()!.replace(/^"(.*)"$/, '$1');
  if (suffix !== typeName) return null;
  const value = expr.slice(0, cast);
  return value.startsWith("'") && value.endsWith("'") && value.length >= 2 ? value.slice(1, -1) : null;
}

/**
 * The Postgres text of the column's default value, or null when Debezium would give the field no
 * default. (A serial column is its integer type here: Debezium's serial rules are the integers'.)
 */
export function defaultValueText(col: ColumnType, expression: string): string | null {
  const typeName = col.name;
  const expr = TRIMMED.has(typeName) ? expression.trim() : expression;
  try {
    switch (typeName) {
      case 'bit': {
        const bits = extract(expr, '00');
        // bit(1) is a boolean
        return bits !== null && bits.length === 1 ? (bits === '1' ? '1' : '0') : bits;
      }
      case 'varbit': return extract(expr, '0');
      case 'bool': return nullOr(expr, (e) => ((extract(e, 'false') ?? '').toLowerCase() === 'true' ? 't' : 'f'));
      case 'bpchar': case 'varchar': case 'text': case 'xml': return extract(expr, '');
      case 'json': case 'jsonb': return extract(expr, '{}');
      case 'numeric': return nullOr(expr, (e) => checked(extract(e, '0.0'), DECIMAL));
      case 'float4': case 'float8': return nullOr(expr, (e) => checked(extract(e, '0.0'), FLOATING)?.replace(/[fFdD]$/, '') ?? null);
      case 'int2': case 'int4': case 'int8':
        return nullOr(expr, (e) => {
          const t = checked(extract(e, '0'), INTEGER);
          const [min, max] = INT_RANGES[typeName]!;
          if (t !== null && (BigInt(t) < min || BigInt(t) > max)) throw new Error(`out of range: ${t}`);
          return t;
        });
      case 'uuid': return extract(expr, '00000000-0000-0000-0000-000000000000');
      case 'date': return extract(expr, '1970-01-01');
      case 'time': return extract(expr, '00:00:00');
      case 'timestamp': return extract(expr, '1970-01-01 00:00:00');
      case 'timestamptz': return extract(expr, '1970-01-01 00:00:00+00');
      case 'interval': return extract(expr, '00:00:00');
      default:
        return col.enumValues && col.elementOid === undefined ? enumDefault(col.name, expr) : null;
    }
  } catch {
    // Debezium logs that it cannot evaluate the expression and leaves the default out.
    return null;
  }
}
