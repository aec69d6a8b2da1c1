import type { ImportRun } from '../../store/importSlice';
import { formatBytes, formatCount, formatDuration, reveal } from '../../format';

const SHOW_SKIPPED = 5;

/** The running import (files, records, throughput, rejects) or the last one's outcome. */
export function ImportProgressView({ run, onCancel }: { readonly run: ImportRun; onCancel(): void }) {
  const p = run.progress;
  const r = run.report;
  if (r) {
    const rec = r.records;
    return (
      <div className={`import-box${r.cancelled ? ' warn' : ''}`} role="status" data-testid="import-done">
        <strong>{r.cancelled ? 'Import cancelled' : 'Import finished'}</strong> in {formatDuration(r.elapsedMs)}: {formatCount(rec.imported)} imported, {formatCount(rec.duplicates)} duplicates, {formatCount(rec.rejected)} rejected of {formatCount(rec.seen)} records in {formatCount(r.files.imported)} of {formatCount(r.files.seen)} files
        {r.files.skipped.length > 0 ? `; ${formatCount(r.files.skipped.length)} files skipped` : ''}.
        {r.files.skipped.length > 0 ? (
          <ul className="skipped-list">
            {r.files.skipped.slice(0, SHOW_SKIPPED).map((s, i) => (
              <li key={`${s.path}:${i}`}>
                <span className="mono" title={reveal(s.path)}>{reveal(s.path)}</span>: {reveal(s.reason)}
              </li>
            ))}
            {r.files.skipped.length > SHOW_SKIPPED ? <li className="muted">and {formatCount(r.files.skipped.length - SHOW_SKIPPED)} more (see Sources below)</li> : null}
          </ul>
        ) : null}
      </div>
    );
  }
  const fraction = p && p.filesSeen > 0 ? p.filesDone / p.filesSeen : 0;
  const rate = p && p.elapsedMs > 0 ? p.bytesRead / (p.elapsedMs / 1000) : 0;
  return (
    <div className="import-box" role="status" data-testid="import-progress">
      <div className="import-head">
        <strong>{p?.phase === 'indexing' ? 'Indexing…' : 'Importing…'}</strong>
        <span className="spacer" />
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
      <progress max={1} value={p?.phase === 'indexing' ? undefined : fraction} />
      {p ? (
        <div className="import-stats">
          <span>{formatCount(p.filesDone)} / {formatCount(p.filesSeen)} files</span>
          <span>{formatCount(p.records)} records</span>
          <span>{formatBytes(rate)}/s</span>
          <span className={p.rejects > 0 ? 'error-text' : ''}>{formatCount(p.rejects)} rejects</span>
          <span>{formatDuration(p.elapsedMs)}</span>
        </div>
      ) : (
        <div className="import-stats">Starting…</div>
      )}
    </div>
  );
}
