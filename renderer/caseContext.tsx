/** What the whole window needs to know about the case and the shell, fetched once per data version. */
import { createContext, useContext, type ReactNode } from 'react';
import type { ApiResponse } from '../shared/api';
import type { CaseSummary } from '../shared/domain';
import { call } from './api';
import { useKeyedFetch, type FetchState } from './hooks/useKeyedFetch';
import { useApp } from './store/context';

export interface CaseInfo {
  readonly summary: FetchState<CaseSummary>;
  readonly shell: ApiResponse<'app:info'>['shell'] | null;
}

const CaseContext = createContext<CaseInfo | null>(null);

export function CaseProvider({ children }: { readonly children: ReactNode }) {
  const dataVersion = useApp((s) => s.dataVersion);
  const summary = useKeyedFetch(`summary:${dataVersion}`, () => call('case:summary', {}));
  const info = useKeyedFetch('app-info', () => call('app:info', {}));
  return <CaseContext.Provider value={{ summary, shell: info.data?.shell ?? null }}>{children}</CaseContext.Provider>;
}

export function useCase(): CaseInfo {
  const c = useContext(CaseContext);
  if (!c) throw new Error('useCase outside <CaseProvider>');
  return c;
}
