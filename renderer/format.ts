/** Display formatting shared by the panels. Times are always shown in UTC, as CloudTrail writes them. */

/**
 * Invisible and direction-changing characters (C0/C1 controls, zero-width marks, bidi embeddings,
 * overrides and isolates, BOM) written as visible code points. Log fields are attacker-controlled: a
 * right-to-left override can make `exe.txt` read as `txt.exe` and a zero-width space can make two
 * different user names look the same.
 */
const HIDDEN_CHARS = new RegExp('[\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\u00AD\\u061C\\u180E\\u200B-\\u200F\\u2028-\\u202E\\u2060-\\u2069\\uFEFF]', 'g');

export function reveal(text: string): string {
  return text.replace(HIDDEN_CHARS, (c) => `⟨U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}⟩`);
}

export function formatUtc(ms: number, withMs = false): string {
  if (!Number.isFinite(ms)) return '—';
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, withMs || ms % 1000 !== 0 ? 23 : 19)}`;
}

/** Minute precision, for spans and axis captions. */
export function formatUtcMinute(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}

/** Long values (ARNs, user agents) keep their start and their more telling end. */
export function shorten(text: string, max: number, headShare = 1 / 3): string {
  if (text.length <= max || max < 8) return text;
  const head = Math.ceil((max - 1) * headShare);
  return `${text.slice(0, head)}…${text.slice(text.length - (max - 1 - head))}`;
}

/**
 * A value fitted to `max` characters for a narrow place. ARNs always lose their constant `arn:aws:`
 * (so a column reads the same on every row) and keep the service and account at the start and the
 * principal's name at the end. The full value is in the element's title.
 */
export function compactValue(text: string, max: number): string {
  const m = /^arn:aws[a-z-]*:/.exec(text);
  if (m) return shorten(text.slice(m[0].length), max, 0.45);
  return shorten(text, max);
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

export function formatBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${u === 0 ? v : v.toFixed(v < 10 ? 1 : 0)} ${units[u] ?? 'B'}`;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - m * 60)} s`;
}
