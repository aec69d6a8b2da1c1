import type { SliceCreator } from './types';

export interface SelectionSlice {
  /** The selected row of the events table: its key and its position under the current filter and sort. */
  readonly selected: { readonly rowId: number; readonly index: number } | null;
  readonly detailOpen: boolean;
  select(rowId: number, index: number, open?: boolean): void;
  openDetail(): void;
  closeDetail(): void;
  clearSelection(): void;
}

export const createSelectionSlice: SliceCreator<SelectionSlice> = (set) => ({
  selected: null,
  detailOpen: false,
  select: (rowId, index, open) => set((s) => ({ selected: { rowId, index }, detailOpen: open ?? s.detailOpen })),
  openDetail: () => set((s) => ({ detailOpen: s.selected !== null })),
  closeDetail: () => set({ detailOpen: false }),
  clearSelection: () => set({ selected: null, detailOpen: false }),
});
