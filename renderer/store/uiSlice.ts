import type { EntityKind } from '../../shared/api';
import type { FilterField } from '../../shared/domain';
import type { SliceCreator } from './types';

export type Theme = 'light' | 'dark';
export type Tab = 'sources' | 'events' | 'query' | 'correlation';

/** Filter fields whose values name an identity the correlation panel can follow. */
export const ENTITY_OF_FIELD: Partial<Record<FilterField, EntityKind>> = {
  userIdentity_accessKeyId: 'accessKey',
  userIdentity_arn: 'principal',
  sessionIssuer_arn: 'sessionIssuer',
  sourceIPAddress: 'ip',
  userAgent: 'userAgent',
};

export const DEFAULT_EXPANDED: readonly FilterField[] = ['eventName', 'eventSource', 'userIdentity_userName', 'userIdentity_arn', 'sourceIPAddress', 'errorCode'];

export interface UiSlice {
  readonly theme: Theme;
  readonly tab: Tab;
  readonly expandedFacets: readonly FilterField[];
  /** What the correlation panel was asked to show (set by a pivot on an identity value). */
  readonly correlationTarget: { readonly kind: EntityKind; readonly value: string } | null;
  /** The export form of the events panel is open. */
  readonly exportOpen: boolean;
  requestExport(): void;
  closeExport(): void;
  setTheme(theme: Theme): void;
  setTab(tab: Tab): void;
  toggleFacet(field: FilterField): void;
  /** Hook for the correlation panel: show this entity. */
  onPivot(kind: EntityKind, value: string): void;
  /** Filter to `field = value` and show it: the events, or the correlation panel for an identity. */
  pivot(field: FilterField, value: string | null): void;
}

export const createUiSlice: SliceCreator<UiSlice> = (set, get) => ({
  theme: 'light',
  tab: 'events',
  expandedFacets: DEFAULT_EXPANDED,
  correlationTarget: null,
  exportOpen: false,
  requestExport: () => set({ exportOpen: true }),
  closeExport: () => set({ exportOpen: false }),
  setTheme: (theme) => set({ theme }),
  setTab: (tab) => set({ tab }),
  toggleFacet: (field) =>
    set((s) => ({ expandedFacets: s.expandedFacets.includes(field) ? s.expandedFacets.filter((f) => f !== field) : [...s.expandedFacets, field] })),
  onPivot: (kind, value) => set({ correlationTarget: { kind, value }, tab: 'correlation' }),
  pivot: (field, value) => {
    get().only(field, value);
    const kind = ENTITY_OF_FIELD[field];
    if (kind && value !== null) get().onPivot(kind, value);
    else set({ tab: 'events' });
  },
});
