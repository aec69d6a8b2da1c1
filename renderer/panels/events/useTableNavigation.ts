/**
 * Where the user is in the result: the visible rows, the row window (see pages.ts), the keyboard, and a
 * selection that waits for its page when a key jumps to a row not loaded yet (End on a million rows).
 */
import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useAppShallow } from '../../store/context';
import { slideWindow, windowFor, WINDOW_ROWS } from './pages';
import type { EventPages } from './useEventPages';

export interface TableNavigation {
  readonly base: number;
  readonly count: number;
  /** Global indices of the first and last visible rows. */
  readonly visible: readonly [number, number];
  /** Window-local index of the selected row, or null when it is not in this result. */
  readonly selectedLocal: number | null;
  onVisible(first: number, last: number): void;
  onSelect(local: number, open: boolean): void;
  onKey(e: KeyboardEvent<HTMLDivElement>): void;
}

const PREFETCH_ROWS = 60;

export function keyTarget(key: string, current: number, pageRows: number, total: number): number | null {
  const moves: Record<string, number> = { ArrowDown: current + 1, ArrowUp: current - 1, PageDown: current + pageRows, PageUp: current - pageRows, Home: 0, End: total - 1 };
  const t = moves[key];
  return t === undefined || total === 0 ? null : Math.max(0, Math.min(total - 1, t));
}

export function useTableNavigation(pages: EventPages, resetKey: string): TableNavigation {
  const s = useAppShallow((st) => ({ selected: st.selected, select: st.select, openDetail: st.openDetail, closeDetail: st.closeDetail }));
  const [win, setWin] = useState({ key: resetKey, base: 0 });
  const [visible, setVisible] = useState<readonly [number, number]>([0, -1]);
  const pending = useRef<number | null>(null);
  const base = win.key === resetKey ? win.base : 0;
  const total = pages.total ?? 0;
  const count = Math.min(WINDOW_ROWS, Math.max(0, total - base));
  const { ensure, row } = pages;
  const { select } = s;

  const onVisible = useCallback(
    (first: number, last: number) => {
      setVisible([base + first, base + last]);
      // A little beyond the viewport in both directions, so scrolling rarely meets an empty row.
      ensure(Math.max(0, base + first - PREFETCH_ROWS), base + last + PREFETCH_ROWS);
      const next = slideWindow(base, total, first, last);
      if (next !== base) setWin({ key: resetKey, base: next });
    },
    [base, total, ensure, resetKey],
  );

  const selectGlobal = useCallback(
    (i: number, open: boolean) => {
      const b = windowFor(base, i, total);
      if (b !== base) setWin({ key: resetKey, base: b });
      const r = row(i);
      pending.current = r ? null : i;
      if (r) select(r.rowId, i, open || undefined);
      else ensure(i, i);
    },
    [base, total, resetKey, row, select, ensure],
  );

  // A jump to a row whose page was not loaded completes when the page arrives.
  useEffect(() => {
    const i = pending.current;
    const r = i === null ? undefined : row(i);
    if (i !== null && r) {
      pending.current = null;
      select(r.rowId, i);
    }
  }, [row, select]);

  // The selection's index belongs to the filter and sort it was made under: it counts only while it still points at the row.
  const sel = s.selected && row(s.selected.index)?.rowId === s.selected.rowId ? s.selected.index : null;
  const onKey = (e: KeyboardEvent<HTMLDivElement>): void => {
    const target = keyTarget(e.key, sel ?? -1, Math.max(1, visible[1] - visible[0] - 2), total);
    if (target !== null) selectGlobal(target, false);
    else if (e.key === 'Enter') s.openDetail();
    else if (e.key === 'Escape') s.closeDetail();
    else return;
    e.preventDefault();
  };
  return {
    base,
    count,
    visible,
    selectedLocal: sel !== null && sel >= base && sel < base + count ? sel - base : null,
    onVisible,
    onSelect: (local, open) => selectGlobal(base + local, open),
    onKey,
  };
}
