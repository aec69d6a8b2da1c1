import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { Filter } from '../../shared/domain';
import type { AppState, AppStore } from './index';
import { toFilter } from './filterOps';

const StoreContext = createContext<AppStore | null>(null);

export function StoreProvider({ store, children }: { readonly store: AppStore; readonly children: ReactNode }) {
  return <StoreContext.Provider value={store}>{children}</StoreContext.Provider>;
}

export function useAppStore(): AppStore {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useAppStore outside <StoreProvider>');
  return store;
}

export function useApp<T>(selector: (s: AppState) => T): T {
  return useStore(useAppStore(), selector);
}

/** For selectors that build an object or array: re-render only when a member changes. */
export function useAppShallow<T>(selector: (s: AppState) => T): T {
  return useStore(useAppStore(), useShallow(selector));
}

/** The filter every panel follows. */
export function useFilter(): Filter {
  const { clauses, text, range } = useAppShallow((s) => ({ clauses: s.clauses, text: s.text, range: s.range }));
  return toFilter(clauses, text, range);
}
