/**
 * The recent cases (File ▸ Open recent), kept in userData/recent.json: newest first, no duplicates,
 * at most MAX_RECENT. A missing or damaged file is an empty list, never a failure to start.
 */
import fs from 'node:fs';
import path from 'node:path';

export const MAX_RECENT = 10;

export function loadRecent(file: string): string[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    if (e instanceof SyntaxError) return []; // a damaged list is forgotten, not fatal
    throw e;
  }
  return Array.isArray(data) ? data.filter((p): p is string => typeof p === 'string' && path.isAbsolute(p)).slice(0, MAX_RECENT) : [];
}

/** The list with `entry` moved to the front. */
export function addRecent(list: readonly string[], entry: string): string[] {
  return [entry, ...list.filter((p) => p !== entry)].slice(0, MAX_RECENT);
}

export function saveRecent(file: string, list: readonly string[]): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(list, null, 2));
  fs.renameSync(tmp, file);
}
