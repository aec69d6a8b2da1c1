/**
 * A fetch keyed by everything it depends on. The latest key wins (answers to older keys are dropped),
 * and the last data stays on screen, marked stale, while the next key loads.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiError, Result } from '../../shared/api';

export interface FetchState<T> {
  readonly data: T | null;
  readonly error: ApiError | null;
  readonly loading: boolean;
  /** `data` answers an older key than the current one. */
  readonly stale: boolean;
  retry(): void;
}

interface Inner<T> {
  readonly data: T | null;
  readonly dataKey: string | null;
  readonly error: ApiError | null;
  readonly loading: boolean;
}

const EMPTY = { data: null, dataKey: null, error: null, loading: false };

export function useKeyedFetch<T>(key: string | null, run: () => Promise<Result<T>>, debounceMs = 0): FetchState<T> {
  const [state, setState] = useState<Inner<T>>(EMPTY);
  const [attempt, setAttempt] = useState(0);
  const latest = useRef(0);
  const runRef = useRef(run);
  runRef.current = run;

  useEffect(() => {
    const token = ++latest.current;
    if (key === null) {
      setState(EMPTY);
      return;
    }
    setState((s) => ({ ...s, loading: true, error: null }));
    const start = (): void => {
      void runRef.current().then((r) => {
        if (token !== latest.current) return;
        setState((s) => (r.ok ? { data: r.value, dataKey: key, error: null, loading: false } : { ...s, error: r.error, loading: false }));
      });
    };
    if (debounceMs <= 0) {
      start();
      return;
    }
    const timer = setTimeout(start, debounceMs);
    return () => clearTimeout(timer);
  }, [key, attempt, debounceMs]);

  const retry = useCallback(() => setAttempt((a) => a + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, stale: state.dataKey !== key, retry };
}
