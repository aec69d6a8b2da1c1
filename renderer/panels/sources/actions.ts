/**
 * What the Sources panel asks of the engine and the shell. In the app the shell shows native dialogs;
 * in web mode `dialog:*` answers 'unsupported' and the panel asks for server-side paths instead.
 */
import type { ApiError, OpenPurpose, Result } from '../../../shared/api';
import { call } from '../../api';

export function parsePaths(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

export async function startImport(paths: readonly string[]): Promise<Result<{ importId: string }>> {
  if (paths.length === 0) return { ok: false, error: { code: 'bad-request', message: 'Give at least one path.' } };
  return call('import:start', { paths });
}

/** Native open dialog; null when cancelled. */
export async function pickPaths(purpose: OpenPurpose): Promise<Result<readonly string[] | null>> {
  const r = await call('dialog:open', { purpose });
  if (!r.ok) return r;
  return { ok: true, value: r.value.paths.length > 0 ? r.value.paths : null };
}

export async function pickSavePath(): Promise<Result<string | null>> {
  const r = await call('dialog:save', { purpose: 'case', defaultName: 'case.cairn' });
  return r.ok ? { ok: true, value: r.value.path } : r;
}

export function errorText(e: ApiError): string {
  return `${e.message} (${e.code})`;
}
