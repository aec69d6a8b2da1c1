import type { ImportProgress, ImportReport } from '../../shared/domain';
import type { SliceCreator } from './types';

export interface ImportRun {
  readonly importId: string;
  readonly progress: ImportProgress | null;
  readonly report: ImportReport | null;
}

export interface ImportSlice {
  /** The running or last finished import (engine pushes), null before the first. */
  readonly importRun: ImportRun | null;
  /** Bumped whenever the case's contents change: every fetch keys on it. */
  readonly dataVersion: number;
  importStarted(importId: string): void;
  importProgress(p: ImportProgress): void;
  importDone(importId: string, report: ImportReport): void;
  dataChanged(): void;
}

export const createImportSlice: SliceCreator<ImportSlice> = (set) => ({
  importRun: null,
  dataVersion: 0,
  importStarted: (importId) => set({ importRun: { importId, progress: null, report: null } }),
  importProgress: (p) =>
    set((s) => {
      // A push for an import this window did not start (another tab, the menu) still shows progress.
      const run = s.importRun?.importId === p.importId ? s.importRun : { importId: p.importId, progress: null, report: null };
      return { importRun: { ...run, progress: p } };
    }),
  importDone: (importId, report) =>
    set((s) => ({
      importRun: { importId, progress: s.importRun?.importId === importId ? s.importRun.progress : null, report },
      dataVersion: s.dataVersion + 1,
    })),
  dataChanged: () => set((s) => ({ dataVersion: s.dataVersion + 1 })),
});
