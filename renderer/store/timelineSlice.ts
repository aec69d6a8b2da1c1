import type { StackBy } from '../../shared/api';
import type { TimeRange } from '../../shared/domain';
import { zoomRange } from '../panels/timeline/scale';
import type { SliceCreator } from './types';

export interface TimelineSlice {
  readonly stackBy: StackBy;
  /** The span of time the histogram shows; null = fit the case's extent. */
  readonly view: TimeRange | null;
  setStackBy(stackBy: StackBy): void;
  setView(view: TimeRange | null): void;
  /** Zooms `view` by `factor` (< 1 zooms in) around `centerMs`. */
  zoom(current: TimeRange, factor: number, centerMs?: number): void;
}

export const createTimelineSlice: SliceCreator<TimelineSlice> = (set) => ({
  stackBy: 'outcome',
  view: null,
  setStackBy: (stackBy) => set({ stackBy }),
  setView: (view) => set({ view }),
  zoom: (current, factor, centerMs) => set({ view: zoomRange(current, factor, centerMs) }),
});
