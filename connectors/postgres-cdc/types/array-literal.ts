/**
 * Postgres array text (`{1,2,NULL}`, `{"a \"b\"",c}`, `{{1,2},{3,4}}`, `[0:1]={1,2}`) into nested
 * arrays of element text, null for an unquoted NULL. The element text is then converted per type.
 */

export type ArrayElements = Array<string | null | ArrayElements>;

export function parseArrayLiteral(text: string, delimiter = ','): ArrayElements {
  let pos = 0;
  // A dimension decoration (`[1:3]=`) precedes the braces when lower bounds are not 1.
  if (text.startsWith('[')) {
    const eq = text.indexOf('=');
    if (eq < 0) throw new Error(`'${text}' is not a Postgres array`);
    pos = eq + 1;
  }

  const fail = (): never => {
    throw new Error(`'${text}' is not a Postgres array (at ${pos})`);
  };

  const parseLevel = (): ArrayElements => {
    if (text[pos] !== '{') fail();
    pos++;
    const out: ArrayElements = [];
    if (text[pos] === '}') {
      pos++;
      return out;
    }
    for (;;) {
      while (text[pos] === ' ') pos++;
      if (text[pos] === '{') out.push(parseLevel());
      else if (text[pos] === '"') out.push(parseQuoted());
      else out.push(parseBare());
      while (text[pos] === ' ') pos++;
      if (text[pos] === delimiter) {
        pos++;
        continue;
      }
      if (text[pos] === '}') {
        pos++;
        return out;
      }
      fail();
    }
  };

  const parseQuoted = (): string => {
    pos++;
    let s = '';
    while (pos < text.length && text[pos] !== '"') {
      if (text[pos] === '\\') pos++;
      s += text[pos] ?? '';
      pos++;
    }
    if (text[pos] !== '"') fail();
    pos++;
    return s;
  };

  const parseBare = (): string | null => {
    let s = '';
    while (pos < text.length && text[pos] !== delimiter && text[pos] !== '}') {
      if (text[pos] === '\\') pos++;
      s += text[pos] ?? '';
      pos++;
    }
    const trimmed = s.trim();
    return trimmed.toUpperCase() === 'NULL' ? null : trimmed;
  };

  const result = parseLevel();
  if (pos !== text.length) fail();
  return result;
}
