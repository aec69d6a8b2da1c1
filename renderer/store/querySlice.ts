import { addToHistory, loadHistory, type HistoryEntry } from '../panels/query/history';
import type { SliceCreator } from './types';

export const DEFAULT_SQL = 'SELECT eventName, count(*) AS events\nFROM events\nGROUP BY eventName\nORDER BY events DESC\nLIMIT 50';

/** What the user chose in the query panel: the SQL being edited, what was last run, the history. */
export interface QuerySlice {
  readonly sql: string;
  /** The statement of the last run and a counter bumped by every run (the result fetch keys on both). */
  readonly ran: { readonly sql: string; readonly seq: number } | null;
  readonly history: readonly HistoryEntry[];
  setSql(sql: string): void;
  /** Runs `sql` (or the editor's text) and records it in the history. */
  runQuery(sql?: string): void;
  clearHistory(): void;
}

export const createQuerySlice: SliceCreator<QuerySlice> = (set) => ({
  sql: DEFAULT_SQL,
  ran: null,
  history: loadHistory(),
  setSql: (sql) => set({ sql }),
  runQuery: (sql) =>
    set((s) => {
      const text = (sql ?? s.sql).trim();
      if (text === '') return {};
      return { sql: sql ?? s.sql, ran: { sql: text, seq: (s.ran?.seq ?? 0) + 1 }, history: addToHistory(s.history, text, Date.now()) };
    }),
  clearHistory: () => set({ history: [] }),
});
