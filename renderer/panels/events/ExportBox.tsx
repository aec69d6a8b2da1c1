import { useState } from 'react';
import type { Filter, Sort } from '../../../shared/domain';
import { call } from '../../api';
import { formatCount } from '../../format';
import { PathForm } from '../sources/PathForm';

type Format = 'csv' | 'json' | 'jsonl';

/** Export the filtered, sorted events to a file the engine writes (a native dialog in the app). */
export function ExportBox({ filter, sort, native, onClose }: { readonly filter: Filter; readonly sort: Sort; readonly native: boolean; onClose(): void }) {
  const [format, setFormat] = useState<Format>('csv');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const run = async (path: string): Promise<void> => {
    setBusy(true);
    const r = await call('export:events', { filter, sort, format, path: path.trim() });
    setBusy(false);
    setMessage(r.ok ? { text: `Wrote ${formatCount(r.value.rows)} events to ${r.value.path}`, error: false } : { text: `Export failed: ${r.error.message}`, error: true });
  };
  const pick = async (): Promise<void> => {
    const r = await call('dialog:save', { purpose: 'export', defaultName: `events.${format}` });
    if (!r.ok) setMessage({ text: r.error.message, error: true });
    else if (r.value.path) await run(r.value.path);
  };
  return (
    <div className="popover export-box" role="dialog" aria-label="Export events">
      <div className="popover-row">
        <strong>Export the events under the current filter</strong>
        <span className="spacer" />
        <button type="button" className="btn btn-icon" aria-label="Close export" onClick={onClose}>×</button>
      </div>
      <label className="field-inline">
        Format
        <select value={format} onChange={(e) => setFormat(e.target.value as Format)}>
          <option value="csv">CSV (columns, spreadsheet-safe)</option>
          <option value="json">JSON (rows)</option>
          <option value="jsonl">JSON lines (original records)</option>
        </select>
      </label>
      {native ? (
        <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void pick()}>Save as…</button>
      ) : (
        <PathForm label="File to write (path on the server)" action="Export" placeholder={`/cases/events.${format}`} busy={busy} onSubmit={(t) => void run(t)} />
      )}
      {message ? <div className={`notice${message.error ? ' notice-error' : ''}`} role="status">{message.text}</div> : null}
    </div>
  );
}
