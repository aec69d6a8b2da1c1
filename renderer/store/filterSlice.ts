import type { FilterClause, FilterField, TimeRange } from '../../shared/domain';
import { addValue, negateClause, removeClause, removeValue, toggleClause } from './filterOps';
import type { SliceCreator } from './types';

export interface FilterSlice {
  readonly clauses: readonly FilterClause[];
  readonly text: string;
  /** The time range brushed on the timeline (shown as a pill); null = all time. */
  readonly range: TimeRange | null;
  include(field: FilterField, value: string | null): void;
  exclude(field: FilterField, value: string | null): void;
  /** Replaces every clause with `field = value` (a pivot); the search and range stay. */
  only(field: FilterField, value: string | null): void;
  toggleClause(id: string): void;
  negateClause(id: string): void;
  removeClause(id: string): void;
  removeValue(id: string, value: string | null): void;
  setText(text: string): void;
  setRange(range: TimeRange | null): void;
  clearFilter(): void;
}

export const createFilterSlice: SliceCreator<FilterSlice> = (set) => {
  let seq = 0;
  const newId = (): string => `c${++seq}`;
  return {
    clauses: [],
    text: '',
    range: null,
    include: (field, value) => set((s) => ({ clauses: addValue(s.clauses, field, value, false, newId) })),
    exclude: (field, value) => set((s) => ({ clauses: addValue(s.clauses, field, value, true, newId) })),
    only: (field, value) => set({ clauses: addValue([], field, value, false, newId) }),
    toggleClause: (id) => set((s) => ({ clauses: toggleClause(s.clauses, id) })),
    negateClause: (id) => set((s) => ({ clauses: negateClause(s.clauses, id) })),
    removeClause: (id) => set((s) => ({ clauses: removeClause(s.clauses, id) })),
    removeValue: (id, value) => set((s) => ({ clauses: removeValue(s.clauses, id, value) })),
    setText: (text) => set({ text }),
    setRange: (range) => set({ range: range && range.toMs > range.fromMs ? range : null }),
    clearFilter: () => set({ clauses: [], text: '', range: null }),
  };
};
