/**
 * The app's one store: slices of what the user chose (filter, view, sort, columns, selection, theme)
 * with their actions. Query results are not here: they live in the panels' keyed fetches.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { createFilterSlice } from './filterSlice';
import { createImportSlice } from './importSlice';
import { createQuerySlice } from './querySlice';
import { createSelectionSlice } from './selectionSlice';
import { createTableSlice } from './tableSlice';
import { createTimelineSlice } from './timelineSlice';
import type { AppState } from './types';
import { createUiSlice } from './uiSlice';

export type { AppState } from './types';
export type AppStore = StoreApi<AppState>;

export function createAppStore(initial: Partial<AppState> = {}): AppStore {
  return createStore<AppState>()((...a) => ({
    ...createFilterSlice(...a),
    ...createTimelineSlice(...a),
    ...createSelectionSlice(...a),
    ...createTableSlice(...a),
    ...createImportSlice(...a),
    ...createUiSlice(...a),
    ...createQuerySlice(...a),
    ...initial,
  }));
}
