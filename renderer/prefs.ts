/**
 * Preferences kept between sessions in localStorage (the page's own storage; no network): theme,
 * columns, density, stacking. Anything unreadable falls back to the defaults.
 */
import type { StackBy } from '../shared/api';
import { ALL_COLUMNS } from './panels/events/columns';
import type { AppState } from './store';
import { MAX_COLUMN_PX, MIN_COLUMN_PX, type ColumnId } from './store/tableSlice';

const KEY = 'cairn.prefs.v1';
const STACKS: readonly StackBy[] = ['outcome', 'readOnly', 'eventCategory', 'none'];

export type Prefs = Pick<AppState, 'theme' | 'columns' | 'pinned' | 'density' | 'stackBy' | 'widths'>;

export function parsePrefs(text: string | null): Partial<Prefs> {
  if (!text) return {};
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    console.warn(`cairn: ignoring unreadable preferences (${(e as Error).message})`);
    return {};
  }
  if (typeof v !== 'object' || v === null) return {};
  const o = v as Record<string, unknown>;
  const out: { -readonly [K in keyof Prefs]?: Prefs[K] } = {};
  if (o.theme === 'light' || o.theme === 'dark') out.theme = o.theme;
  if (o.density === 'compact' || o.density === 'comfortable') out.density = o.density;
  if (typeof o.stackBy === 'string' && (STACKS as readonly string[]).includes(o.stackBy)) out.stackBy = o.stackBy as StackBy;
  if (Array.isArray(o.columns)) {
    const cols = o.columns.filter((c): c is ColumnId => typeof c === 'string' && (ALL_COLUMNS as readonly string[]).includes(c));
    if (cols.length > 0) out.columns = [...new Set(cols)];
  }
  if (typeof o.widths === 'object' && o.widths !== null) {
    const widths: Partial<Record<ColumnId, number>> = {};
    for (const [k, w] of Object.entries(o.widths as Record<string, unknown>)) {
      if ((ALL_COLUMNS as readonly string[]).includes(k) && typeof w === 'number' && w >= MIN_COLUMN_PX && w <= MAX_COLUMN_PX) widths[k as ColumnId] = Math.round(w);
    }
    out.widths = widths;
  }
  if (typeof o.pinned === 'number' && Number.isInteger(o.pinned) && o.pinned >= 0) out.pinned = Math.min(o.pinned, out.columns?.length ?? o.pinned);
  return out;
}

export function pickPrefs(s: AppState): Prefs {
  return { theme: s.theme, columns: s.columns, pinned: s.pinned, density: s.density, stackBy: s.stackBy, widths: s.widths };
}

export function loadPrefs(): Partial<Prefs> {
  try {
    return parsePrefs(window.localStorage.getItem(KEY));
  } catch (e) {
    // Storage can be disabled (privacy settings): run with the defaults.
    console.warn(`cairn: preferences unavailable (${(e as Error).message})`);
    return {};
  }
}

export function savePrefs(p: Prefs): void {
  try {
    window.localStorage.setItem(KEY, JSON.stringify(p));
  } catch (e) {
    console.warn(`cairn: could not save preferences (${(e as Error).message})`);
  }
}
