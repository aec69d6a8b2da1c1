/**
 * Byte-level JSON scanning: find where values start and end without parsing them, so that each
 * record's original bytes can be kept exactly as they were in the evidence. Inputs are assumed to be
 * UTF-8; the scanner only looks at ASCII structure bytes, so invalid UTF-8 inside strings is harmless.
 */

export const QUOTE = 0x22;
export const BACKSLASH = 0x5c;
export const LBRACE = 0x7b;
export const RBRACE = 0x7d;
export const LBRACKET = 0x5b;
export const RBRACKET = 0x5d;
export const COMMA = 0x2c;
export const COLON = 0x3a;

export function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/**
 * Given `i` just after an opening quote, returns the index just after the closing quote, or -1 if the
 * string does not end before `end`.
 */
export function skipString(buf: Uint8Array, i: number, end: number): number {
  const b = buf as Buffer;
  for (;;) {
    const q = b.indexOf(QUOTE, i);
    if (q < 0 || q >= end) return -1;
    let bs = 0;
    for (let k = q - 1; k >= i && buf[k] === BACKSLASH; k--) bs++;
    // A run of backslashes may have started before `i` only if `i` itself follows one; callers
    // always pass the position right after the opening quote or a previous closing-quote candidate.
    if ((bs & 1) === 0) return q + 1;
    i = q + 1;
  }
}

/**
 * Returns the end (exclusive) of the value starting at `i` (which must be a non-space byte), or -1 if
 * it does not end before `end`. Scalars end at the next structural byte or space.
 */
export function skipValue(buf: Uint8Array, i: number, end: number): number {
  const c = buf[i];
  if (c === QUOTE) return skipString(buf, i + 1, end);
  if (c !== LBRACE && c !== LBRACKET) {
    let j = i;
    while (j < end) {
      const x = buf[j] as number;
      if (x === COMMA || x === RBRACE || x === RBRACKET || isSpace(x)) break;
      j++;
    }
    return j;
  }
  let depth = 0;
  let j = i;
  while (j < end) {
    const x = buf[j] as number;
    if (x === QUOTE) {
      j = skipString(buf, j + 1, end);
      if (j < 0) return -1;
      continue;
    }
    if (x === LBRACE || x === LBRACKET) depth++;
    else if (x === RBRACE || x === RBRACKET) {
      depth--;
      if (depth === 0) return j + 1;
    }
    j++;
  }
  return -1;
}

function skipSpace(buf: Uint8Array, i: number, end: number): number {
  while (i < end && isSpace(buf[i] as number)) i++;
  return i;
}

export type Span = readonly [start: number, end: number];

/** Spans of the top-level members of the object in [start, end), by key (keys decoded as JSON). */
export function objectMemberSpans(buf: Uint8Array, start: number, end: number): Map<string, Span> {
  const out = new Map<string, Span>();
  let i = skipSpace(buf, start, end);
  if (buf[i] !== LBRACE) return out;
  i++;
  for (;;) {
    i = skipSpace(buf, i, end);
    if (i >= end || buf[i] === RBRACE) return out;
    if (buf[i] !== QUOTE) return out;
    const keyEnd = skipString(buf, i + 1, end);
    if (keyEnd < 0) return out;
    let key: string;
    try {
      key = JSON.parse(Buffer.from(buf.buffer, buf.byteOffset + i, keyEnd - i).toString('utf8')) as string;
    } catch {
      return out;
    }
    i = skipSpace(buf, keyEnd, end);
    if (buf[i] !== COLON) return out;
    i = skipSpace(buf, i + 1, end);
    const vEnd = skipValue(buf, i, end);
    if (vEnd < 0) return out;
    out.set(key, [i, vEnd]);
    i = skipSpace(buf, vEnd, end);
    if (buf[i] === COMMA) i++;
  }
}

/** Spans of the elements of the array in [start, end). */
export function arrayElementSpans(buf: Uint8Array, start: number, end: number): Span[] {
  const out: Span[] = [];
  let i = skipSpace(buf, start, end);
  if (buf[i] !== LBRACKET) return out;
  i++;
  for (;;) {
    i = skipSpace(buf, i, end);
    if (i >= end || buf[i] === RBRACKET) return out;
    const vEnd = skipValue(buf, i, end);
    if (vEnd < 0) return out;
    out.push([i, vEnd]);
    i = skipSpace(buf, vEnd, end);
    if (buf[i] === COMMA) i++;
  }
}
