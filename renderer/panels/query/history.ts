/**
 * The query history: the last 50 distinct statements run, newest first, kept in the page's own
 * localStorage (no network). Anything unreadable there is ignored rather than trusted.
 */
export const HISTORY_KEY = 'cairn.queryHistory.v1';
export const HISTORY_MAX = 50;

export interface HistoryEntry {
  readonly sql: string;
  /** When it was last run, epoch ms. */
  readonly at: number;
}

/** Puts `sql` first (moving an earlier identical run up) and keeps the newest `HISTORY_MAX`. */
export function addToHistory(history: readonly HistoryEntry[], sql: string, at: number): HistoryEntry[] {
  const text = sql.trim();
  if (text === '') return [...history];
  return [{ sql: text, at }, ...history.filter((h) => h.sql !== text)].slice(0, HISTORY_MAX);
}

function isEntry(v: unknown): v is HistoryEntry {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return typeof o['sql'] === 'string' && o['sql'].trim() !== '' && typeof o['at'] === 'number' && Number.isFinite(o['at']);
}

export function parseHistory(text: string | null): HistoryEntry[] {
  if (!text) return [];
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    console.warn(`cairn: ignoring unreadable query history (${(e as Error).message})`);
    return [];
  }
  if (!Array.isArray(v)) return [];
  return v.filter(isEntry).map((h) => ({ sql: h.sql, at: h.at })).slice(0, HISTORY_MAX);
}

export function loadHistory(): HistoryEntry[] {
  if (typeof window === 'undefined') return []; // a store made outside a page (tests in Node)
  try {
    return parseHistory(window.localStorage.getItem(HISTORY_KEY));
  } catch (e) {
    // Storage can be disabled (privacy settings): start with an empty history.
    console.warn(`cairn: query history unavailable (${(e as Error).message})`);
    return [];
  }
}

export function saveHistory(history: readonly HistoryEntry[]): void {
  if (typeof window === 'undefined') return;
  try {
    window.localStorage.setItem(HISTORY_KEY, JSON.stringify(history));
  } catch (e) {
    console.warn(`cairn: could not save the query history (${(e as Error).message})`);
  }
}
