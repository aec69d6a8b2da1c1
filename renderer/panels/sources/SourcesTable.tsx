import type { RejectRow, SourceRow } from '../../../shared/domain';
import { formatBytes, formatCount, reveal } from '../../format';

const SKIPPED = new Set(['digest', 'config-check', 'logs-write-test', 'directory-marker', 'empty', 'unknown-json', 'not-json', 'unsupported', 'unreadable']);

export function SourcesTable({ rows, total, onMore }: { readonly rows: readonly SourceRow[]; readonly total: number; onMore(): void }) {
  return (
    <div className="plain-table-wrap">
      <table className="plain-table" data-testid="sources-table">
        <thead>
          <tr>
            <th>Path</th>
            <th>Kind</th>
            <th className="num">Size</th>
            <th>SHA-256</th>
            <th className="num">Records</th>
            <th className="num">Imported</th>
            <th className="num">Duplicates</th>
            <th className="num">Rejects</th>
            <th>Note</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((s) => (
            <tr key={s.id} className={SKIPPED.has(s.kind) ? 'muted' : ''}>
              <td className="mono path-cell" title={reveal(s.path)}>{s.parentId !== null ? '↳ ' : ''}{reveal(s.path)}</td>
              <td>{s.kind}</td>
              <td className="num">{formatBytes(s.size)}</td>
              <td className="mono hash-cell" title={s.sha256 ?? ''}>{s.sha256 ? `${s.sha256.slice(0, 16)}…` : '—'}</td>
              <td className="num">{formatCount(s.records)}</td>
              <td className="num">{formatCount(s.imported)}</td>
              <td className="num">{formatCount(s.duplicates)}</td>
              <td className={`num${s.rejects > 0 ? ' error-text' : ''}`}>{formatCount(s.rejects)}</td>
              <td className="note-cell" title={reveal(s.note ?? '')}>{reveal(s.note ?? '')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <ShowMore shown={rows.length} total={total} onMore={onMore} />
    </div>
  );
}

function ShowMore({ shown, total, onMore }: { readonly shown: number; readonly total: number; onMore(): void }) {
  if (shown >= total) return null;
  return (
    <button type="button" className="link-btn" onClick={onMore}>
      Show more ({formatCount(total - shown)} not shown)
    </button>
  );
}

export function RejectsTable({ rows, total, onMore }: { readonly rows: readonly RejectRow[]; readonly total: number; onMore(): void }) {
  if (total === 0) return <div className="muted">No rejected records.</div>;
  return (
    <div className="plain-table-wrap">
      <table className="plain-table" data-testid="rejects-table">
        <thead>
          <tr>
            <th>File</th>
            <th className="num">Record</th>
            <th>Reason</th>
            <th>Excerpt</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={`${r.sourceId}:${r.index}:${i}`}>
              <td className="mono path-cell" title={reveal(r.path)}>{reveal(r.path)}</td>
              <td className="num">{r.index < 0 ? 'file' : r.index}</td>
              <td>{reveal(r.reason)}</td>
              <td className="mono excerpt-cell" title={reveal(r.excerpt ?? '')}>{reveal(r.excerpt ?? '')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <ShowMore shown={rows.length} total={total} onMore={onMore} />
    </div>
  );
}
