/**
 * Event time parsing to UTC epoch milliseconds. Accepts what CloudTrail and its exports write:
 * `2023-07-10T11:42:05Z`, without the `Z`, with a space instead of `T`, with milliseconds or
 * nanoseconds, with a `+01:00` offset, basic notation `20131102T010628Z`, and epoch seconds or
 * milliseconds as numbers or digit strings. A string without zone is UTC (CloudTrail Lake exports).
 */

const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(Z|z|UTC|[+-]\d{2}(?::?\d{2})?)?$/;
const BASIC = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(?:\.(\d+))?(Z)?$/;
const DIGITS = /^\d{9,16}(?:\.\d+)?$/;

/** Seconds below this are taken as epoch seconds, above as epoch milliseconds (year 5138 in seconds). */
const EPOCH_MS_THRESHOLD = 1e11;
/**
 * The latest time a JavaScript Date holds (year 275760). A number past it is no time: taken as one,
 * it crashed the whole import where the report turns the time range into text (a record whose
 * eventTime was 1e300), and it stays out of the integer columns and indexes, which hold time exactly.
 */
const MAX_TIME_MS = 8.64e15;

let lastText = '';
let lastMs = NaN;

/** Milliseconds in 400 Gregorian years (146,097 days): the calendar repeats after them. */
const FOUR_CENTURIES_MS = 146_097 * 86_400_000;

/** UTC milliseconds of a calendar time (month from 1), NaN when a part is out of range. */
function utc(year: number, month: number, day: number, hour: number, minute: number, second: number): number {
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 24 || minute > 59 || second > 60) return NaN;
  // Date.UTC takes a year below 100 for 19xx: `0099-03-01` would be read as 1999.
  if (year < 100) return Date.UTC(year + 400, month - 1, day, hour, minute, second) - FOUR_CENTURIES_MS;
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

function fromParts(y: string, mo: string, d: string, h: string, mi: string, s: string | undefined, frac: string | undefined, zone: string | undefined): number {
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = s === undefined ? 0 : Number(s);
  let ms = utc(Number(y), month, day, hour, minute, second);
  if (frac) ms += Math.floor(Number(`0.${frac}`) * 1000);
  if (zone && zone !== 'Z' && zone !== 'z' && zone !== 'UTC') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const offH = Number(digits.slice(0, 2));
    const offM = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
    ms -= sign * (offH * 60 + offM) * 60_000;
  }
  return ms;
}

function digits2(v: string, i: number): number {
  const a = v.charCodeAt(i) - 48;
  const b = v.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * CloudTrail's own form, `2023-07-10T11:42:05Z`, read without the regular expression (the same
 * checks and the same Date.UTC as fromParts, through utc); undefined for any other text.
 */
function canonical(v: string): number | undefined {
  if (v.length !== 20 || v.charCodeAt(4) !== 45 || v.charCodeAt(7) !== 45 || v.charCodeAt(10) !== 84 || v.charCodeAt(13) !== 58 || v.charCodeAt(16) !== 58 || v.charCodeAt(19) !== 90) return undefined;
  const c = digits2(v, 0);
  const y = digits2(v, 2);
  const mo = digits2(v, 5);
  const d = digits2(v, 8);
  const h = digits2(v, 11);
  const mi = digits2(v, 14);
  const sec = digits2(v, 17);
  if (c < 0 || y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || sec < 0) return undefined;
  return utc(c * 100 + y, mo, d, h, mi, sec);
}

/** Parses a time value; NaN when it is not a time. */
export function parseTimeMs(value: unknown): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value <= 0) return NaN;
    const ms = value < EPOCH_MS_THRESHOLD ? Math.round(value * 1000) : Math.round(value);
    return ms <= MAX_TIME_MS ? ms : NaN;
  }
  if (typeof value !== 'string') return NaN;
  if (value === lastText) return lastMs;
  const fast = canonical(value);
  if (fast !== undefined) return fast;
  const text = value.trim();
  let ms = NaN;
  const m = ISO.exec(text);
  if (m) {
    ms = fromParts(m[1] as string, m[2] as string, m[3] as string, m[4] as string, m[5] as string, m[6], m[7], m[8]);
  } else {
    const b = BASIC.exec(text);
    if (b) ms = fromParts(b[1] as string, b[2] as string, b[3] as string, b[4] as string, b[5] as string, b[6], b[7], b[8]);
    else if (DIGITS.test(text)) ms = parseTimeMs(Number(text));
  }
  lastText = value;
  lastMs = ms;
  return ms;
}

export function isoFromMs(ms: number): string {
  return new Date(ms).toISOString();
}
