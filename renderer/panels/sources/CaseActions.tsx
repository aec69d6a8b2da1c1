import { useState } from 'react';
import type { ApiError, Result } from '../../../shared/api';
import { call } from '../../api';
import { formatBytes } from '../../format';
import { errorText, pickPaths, pickSavePath } from './actions';
import { PathForm } from './PathForm';

/** Open, save and start a case: native dialogs in the app, path fields in web mode. */
export function CaseActions({ native, casePath, onChanged }: { readonly native: boolean; readonly casePath: string | null; onChanged(): void }) {
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (what: string, p: Promise<Result<string>>): Promise<void> => {
    setBusy(true);
    const r = await p;
    setBusy(false);
    setMessage(r.ok ? { text: r.value, error: false } : { text: `${what} failed: ${errorText(r.error)}`, error: true });
    if (r.ok) onChanged();
  };
  const open = (path: string): Promise<void> => run('Opening the case', call('case:open', { path: path.trim() }).then((r) => (r.ok ? ok(`Opened ${path.trim()}`) : r)));
  const save = (path: string): Promise<void> => run('Saving the case', call('case:save', { path: path.trim() }).then((r) => (r.ok ? ok(`Saved ${r.value.path} (${formatBytes(r.value.bytes)})`) : r)));
  const fresh = (): Promise<void> => run('Starting a new case', call('case:new', {}).then((r) => (r.ok ? ok('New empty case') : r)));
  const nativeOpen = async (): Promise<void> => {
    const r = await pickPaths('case');
    if (!r.ok) return setMessage({ text: errorText(r.error), error: true });
    if (r.value?.[0]) await open(r.value[0]);
  };
  const nativeSave = async (): Promise<void> => {
    const r = await pickSavePath();
    if (!r.ok) return setMessage({ text: errorText(r.error), error: true });
    if (r.value) await save(r.value);
  };
  return (
    <div className="case-actions">
      {native ? (
        <div className="button-row">
          <button type="button" className="btn" disabled={busy} onClick={() => void nativeOpen()}>Open case…</button>
          {casePath ? (
            <button type="button" className="btn" disabled={busy} onClick={() => void save(casePath)}>Save case</button>
          ) : null}
          <button type="button" className="btn" disabled={busy} onClick={() => void nativeSave()}>Save case as…</button>
          <button type="button" className="btn" disabled={busy} onClick={() => void fresh()}>New case</button>
        </div>
      ) : (
        <>
          <PathForm label="Open a case file (path on the server)" action="Open case" placeholder="/cases/incident-42.cairn" busy={busy} testId="case-open-path" onSubmit={(t) => void open(t)} />
          <PathForm key={casePath ?? ''} label="Save the case to (path on the server)" action="Save case" placeholder="/cases/incident-42.cairn" initial={casePath ?? ''} busy={busy} testId="case-save-path" onSubmit={(t) => void save(t)} />
          <button type="button" className="btn" disabled={busy} onClick={() => void fresh()}>New empty case</button>
        </>
      )}
      {message ? <div className={`notice${message.error ? ' notice-error' : ''}`} role="status">{message.text}</div> : null}
    </div>
  );
}

function ok(text: string): Result<string> {
  return { ok: true, value: text };
}

export type { ApiError };
