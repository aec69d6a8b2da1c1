import type { StateCreator } from 'zustand/vanilla';
import type { FilterSlice } from './filterSlice';
import type { ImportSlice } from './importSlice';
import type { QuerySlice } from './querySlice';
import type { SelectionSlice } from './selectionSlice';
import type { TableSlice } from './tableSlice';
import type { TimelineSlice } from './timelineSlice';
import type { UiSlice } from './uiSlice';

export type AppState = FilterSlice & TimelineSlice & SelectionSlice & TableSlice & ImportSlice & UiSlice & QuerySlice;
export type SliceCreator<T> = StateCreator<AppState, [], [], T>;
