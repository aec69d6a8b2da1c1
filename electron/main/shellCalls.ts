/**
 * The calls the desktop shell answers itself: `app:info` and the native open/save dialogs. The page
 * only says what a dialog is for; which filters and which folder it starts in are decided here.
 */
import path from 'node:path';
import type { OpenDialogOptions, OpenDialogReturnValue, SaveDialogOptions, SaveDialogReturnValue } from 'electron';
import { err, ok, type OpenPurpose, type Result, type SavePurpose, type ShellCallName } from '../../shared/api';

const OPEN_PURPOSES: readonly OpenPurpose[] = ['evidence-files', 'evidence-folder', 'case'];
const SAVE_PURPOSES: readonly SavePurpose[] = ['case', 'export'];
const CASE_FILTER = { name: 'Cairn case', extensions: ['cairn'] };
const ALL_FILES = { name: 'All files', extensions: ['*'] };

export function openDialogOptions(purpose: OpenPurpose): OpenDialogOptions {
  switch (purpose) {
    case 'evidence-files':
      return {
        title: 'Open evidence files',
        properties: ['openFile', 'multiSelections'],
        filters: [{ name: 'CloudTrail evidence', extensions: ['json', 'gz', 'zip', 'tar', 'tgz'] }, ALL_FILES],
      };
    case 'evidence-folder':
      return { title: 'Open evidence folder', properties: ['openDirectory', 'multiSelections'] };
    case 'case':
      return { title: 'Open case', properties: ['openFile'], filters: [CASE_FILTER, ALL_FILES] };
  }
}

/** `defaultName` comes from the page: only its base name is used, in the folder the shell picks. */
export function saveDialogOptions(purpose: SavePurpose, defaultName: string, folder: string): SaveDialogOptions {
  const defaultPath = path.join(folder, path.basename(defaultName.replace(/\\/g, '/')) || 'untitled');
  if (purpose === 'case') return { title: 'Save case', defaultPath, filters: [CASE_FILTER] };
  return {
    title: 'Export events',
    defaultPath,
    filters: [
      { name: 'CSV', extensions: ['csv'] },
      { name: 'JSON', extensions: ['json'] },
      { name: 'JSON lines', extensions: ['jsonl'] },
    ],
  };
}

export interface DialogsLike {
  showOpenDialog(options: OpenDialogOptions): Promise<OpenDialogReturnValue>;
  showSaveDialog(options: SaveDialogOptions): Promise<SaveDialogReturnValue>;
}

export interface ShellDeps {
  readonly version: string;
  /** Where save dialogs start (the user's documents). */
  readonly saveFolder: string;
  /** Shows a dialog attached to the window (Electron's dialog with the BrowserWindow bound). */
  readonly dialogs: DialogsLike;
}

function field(req: unknown, key: string): unknown {
  return typeof req === 'object' && req !== null ? (req as Record<string, unknown>)[key] : undefined;
}

function isOneOf<T extends string>(value: unknown, list: readonly T[]): value is T {
  return typeof value === 'string' && (list as readonly string[]).includes(value);
}

export function createShellCall(deps: ShellDeps): (name: ShellCallName, req: unknown) => Promise<Result<unknown>> {
  return async (name, req) => {
    switch (name) {
      case 'app:info':
        return ok({ shell: 'electron', version: deps.version });
      case 'dialog:open': {
        const purpose = field(req, 'purpose');
        if (!isOneOf(purpose, OPEN_PURPOSES)) return err('bad-request', `purpose must be one of ${OPEN_PURPOSES.join(', ')}`);
        const r = await deps.dialogs.showOpenDialog(openDialogOptions(purpose));
        return ok({ paths: r.canceled ? [] : r.filePaths });
      }
      case 'dialog:save': {
        const purpose = field(req, 'purpose');
        const defaultName = field(req, 'defaultName');
        if (!isOneOf(purpose, SAVE_PURPOSES)) return err('bad-request', `purpose must be one of ${SAVE_PURPOSES.join(', ')}`);
        if (typeof defaultName !== 'string') return err('bad-request', 'defaultName must be a string');
        const r = await deps.dialogs.showSaveDialog(saveDialogOptions(purpose, defaultName, deps.saveFolder));
        return ok({ path: r.canceled || r.filePath === undefined || r.filePath === '' ? null : r.filePath });
      }
    }
  };
}
