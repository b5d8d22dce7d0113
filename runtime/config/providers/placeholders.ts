/**
 * Placeholders in config values: `${alias:key}` or `${alias:path:key}`, matched the way Kafka's
 * ConfigTransformer matches them: the alias ends at the first `:`, the path at the next `:` that
 * leaves a key, and nothing inside may contain `}`. A value may hold several, with text around them.
 */
export interface Placeholder {
  /** The placeholder as written, `${...}` included. */
  text: string;
  alias: string;
  /** `''` when the placeholder has no path part. */
  path: string;
  key: string;
  start: number;
  end: number;
}

const PLACEHOLDER = /\$\{([^}]*?):(?:([^}]*?):)?([^}]*?)\}/g;

export function findPlaceholders(value: string): Placeholder[] {
  return [...value.matchAll(PLACEHOLDER)].map((match) => ({
    text: match[0],
    alias: match[1]!,
    path: match[2] ?? '',
    key: match[3]!,
    start: match.index,
    end: match.index + match[0].length,
  }));
}
