/**
 * The desktop app's native menu sends `menu:command` pushes; each becomes the same action as the
 * button in the UI. Web mode never sends them.
 */
import { useEffect } from 'react';
import type { MenuCommand } from '../../shared/api';
import { call, onPush } from '../api';
import { useCase } from '../caseContext';
import { pickPaths, pickSavePath, startImport } from '../panels/sources/actions';
import { useAppStore } from '../store/context';

export function useMenuCommands(): void {
  const store = useAppStore();
  const { summary } = useCase();
  const casePath = summary.data?.path ?? null;
  useEffect(() => {
    const run = async (command: MenuCommand, path?: string): Promise<void> => {
      const s = store.getState();
      const report = (what: string, r: { ok: boolean; error?: { message: string } }): void => {
        if (!r.ok) window.alert(`${what} failed: ${r.error?.message ?? 'unknown error'}`);
      };
      if (command === 'open-evidence-files' || command === 'open-evidence-folder') {
        s.setTab('sources');
        const r = await pickPaths(command === 'open-evidence-files' ? 'evidence-files' : 'evidence-folder');
        if (!r.ok) return report('Opening evidence', r);
        if (!r.value) return;
        const started = await startImport(r.value);
        if (started.ok) s.importStarted(started.value.importId);
        else report('Starting the import', started);
      } else if (command === 'open-case' || command === 'open-recent') {
        const chosen = command === 'open-recent' && path ? path : await pickPaths('case').then((r) => (r.ok ? (r.value?.[0] ?? null) : null));
        if (!chosen) return;
        const r = await call('case:open', { path: chosen });
        report('Opening the case', r);
        if (r.ok) s.dataChanged();
      } else if (command === 'save-case' || command === 'save-case-as') {
        const target = command === 'save-case' && casePath ? casePath : await pickSavePath().then((r) => (r.ok ? r.value : null));
        if (!target) return;
        const r = await call('case:save', { path: target });
        report('Saving the case', r);
        if (r.ok) s.dataChanged();
      } else if (command === 'new-case') {
        const r = await call('case:new', {});
        report('Starting a new case', r);
        if (r.ok) s.dataChanged();
      } else if (command === 'export') {
        s.setTab('events');
        s.requestExport();
      }
    };
    return onPush('menu:command', (m) => void run(m.command, m.path));
  }, [store, casePath]);
}
