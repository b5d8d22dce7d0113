/**
 * Java regular expressions as Kafka's RegexRouter and TopicNameMatches use them: the whole input must
 * match (Matcher.matches), and replacements use `$1`, `${name}` and `\` escapes (Matcher.appendReplacement).
 * JavaScript's syntax covers the patterns users write for topic names; leading inline flags such as
 * `(?i)` are turned into RegExp flags. Possessive quantifiers and `\Z` have no JavaScript form.
 */

const INLINE_FLAGS = /^\(\?([imsux]+)\)/;

/** A RegExp anchored at both ends, so `test`/`exec` behave as Java's `matches()`. Throws on bad syntax. */
export function compileFullMatch(pattern: string): RegExp {
  let body = pattern;
  let flags = '';
  const m = INLINE_FLAGS.exec(body);
  if (m) {
    body = body.slice(m[0].length);
    for (const f of m[1]!) if ((f === 'i' || f === 'm' || f === 's') && !flags.includes(f)) flags += f;
  }
  body = body.replace(/\\A/g, '^').replace(/\\z/g, '$');
  return new RegExp(`^(?:${body})$`, flags);
}

/** The validator message for a pattern, or null when it compiles. */
export function regexError(pattern: string): string | null {
  try {
    compileFullMatch(pattern);
    return null;
  } catch (e) {
    return `Invalid regex: ${(e as Error).message}`;
  }
}

/**
 * The replacement text with group references filled in, as Java's Matcher does it: `$n` takes as many
 * digits as still name an existing group, `${name}` a named group, `\x` is a literal x, and a group
 * that did not take part in the match adds nothing.
 */
export function expandReplacement(replacement: string, match: RegExpExecArray): string {
  const groupCount = match.length - 1;
  let out = '';
  for (let i = 0; i < replacement.length; i++) {
    const c = replacement[i]!;
    if (c === '\\') {
      i++;
      if (i >= replacement.length) throw new Error('character to be escaped is missing');
      out += replacement[i];
    } else if (c === '$') {
      i++;
      if (i >= replacement.length) throw new Error("Illegal group reference: group index is missing");
      if (replacement[i] === '{') {
        const end = replacement.indexOf('}', i);
        if (end < 0) throw new Error("named capturing group is missing trailing '}'");
        const name = replacement.slice(i + 1, end);
        if (!match.groups || !(name in match.groups)) throw new Error(`No group with name {${name}}`);
        out += match.groups[name] ?? '';
        i = end;
      } else {
        let ref = Number(replacement[i]);
        if (!Number.isInteger(ref) || replacement[i] === ' ') throw new Error('Illegal group reference');
        while (i + 1 < replacement.length && /\d/.test(replacement[i + 1]!)) {
          const next = ref * 10 + Number(replacement[i + 1]);
          if (next > groupCount) break;
          ref = next;
          i++;
        }
        if (ref > groupCount) throw new Error(`No group ${ref}`);
        out += match[ref] ?? '';
      }
    } else {
      out += c;
    }
  }
  return out;
}
