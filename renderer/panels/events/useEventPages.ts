/**
 * Pages of events:page for one (filter, sort, data version) key, fetched around the viewport. When the
 * key changes the old rows stay on screen, marked stale, until the new key's first page arrives.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiError, ApiResponse, Result } from '../../../shared/api';
import type { EventRow } from '../../../shared/domain';
import { PAGE_SIZE, pagesFor } from './pages';

type Page = ApiResponse<'events:page'>;

export interface PagesState {
  readonly key: string | null;
  readonly pages: ReadonlyMap<number, readonly EventRow[]>;
  readonly total: number | null;
  readonly elapsedMs: number | null;
  readonly error: ApiError | null;
}

export interface EventPages extends PagesState {
  readonly stale: boolean;
  row(index: number): EventRow | undefined;
  ensure(first: number, last: number): void;
  retry(): void;
}

const EMPTY: PagesState = { key: null, pages: new Map(), total: null, elapsedMs: null, error: null };

export function mergePage(s: PagesState, key: string, page: number, r: Result<Page>): PagesState {
  if (!r.ok) return s.key === key ? { ...s, error: r.error } : { ...EMPTY, key, error: r.error };
  const pages = new Map(s.key === key ? s.pages : []);
  pages.set(page, r.value.rows);
  return { key, pages, total: r.value.total, elapsedMs: r.value.elapsedMs, error: null };
}

export function useEventPages(key: string, fetchPage: (offset: number, limit: number) => Promise<Result<Page>>): EventPages {
  const [state, setState] = useState<PagesState>(EMPTY);
  const inflight = useRef(new Set<string>());
  const keyRef = useRef(key);
  keyRef.current = key;
  const fetchRef = useRef(fetchPage);
  fetchRef.current = fetchPage;
  const stateRef = useRef(state);
  stateRef.current = state;

  const load = useCallback((k: string, page: number) => {
    const id = `${k}#${page}`;
    if (inflight.current.has(id)) return;
    inflight.current.add(id);
    void fetchRef.current(page * PAGE_SIZE, PAGE_SIZE).then((r) => {
      inflight.current.delete(id);
      if (keyRef.current !== k) return;
      setState((s) => mergePage(s, k, page, r));
    });
  }, []);

  const ensure = useCallback(
    (first: number, last: number) => {
      const s = stateRef.current;
      const current = s.key === key;
      for (const p of pagesFor(first, last, current ? s.total : null)) {
        if (!current || !s.pages.has(p)) load(key, p);
      }
    },
    [key, load],
  );

  useEffect(() => {
    load(key, 0);
  }, [key, load]);

  const stale = state.key !== key;
  const retry = useCallback(() => {
    setState((s) => ({ ...s, error: null }));
    load(key, 0);
  }, [key, load]);
  const row = useCallback((i: number) => state.pages.get(Math.floor(i / PAGE_SIZE))?.[i % PAGE_SIZE], [state.pages]);
  return { ...state, stale, row, ensure, retry };
}
