import { useMemo, useState } from 'react';
import type { EventRow } from '../../../shared/domain';
import { call } from '../../api';
import { ErrorBox, Loading } from '../../components/PanelState';
import { formatUtc, reveal } from '../../format';
import { useKeyedFetch } from '../../hooks/useKeyedFetch';
import { useApp, useAppShallow } from '../../store/context';
import { JsonTree, parseJson, type ValueActions } from './JsonTree';

/** The selected event: its original record as a tree or as text, with actions on every value. */
export function DetailPanel() {
  const rowId = useApp((s) => s.selected?.rowId ?? null);
  const dataVersion = useApp((s) => s.dataVersion);
  const a = useAppShallow((s) => ({ include: s.include, exclude: s.exclude, pivot: s.pivot, setText: s.setText, closeDetail: s.closeDetail, select: s.select }));
  const [mode, setMode] = useState<'tree' | 'text'>('tree');
  const [copied, setCopied] = useState<string | null>(null);
  const fetch = useKeyedFetch(rowId === null ? null : `${rowId}:${dataVersion}`, () => call('event:get', { rowId: rowId ?? -1 }));
  const parsed = useMemo(() => (fetch.data ? parseJson(fetch.data.raw) : null), [fetch.data]);
  const pretty = parsed?.ok ? JSON.stringify(parsed.value, null, 2) : (fetch.data?.raw ?? '');

  const copy = (text: string, what: string): void => {
    navigator.clipboard.writeText(text).then(
      () => setCopied(`Copied ${what}`),
      (e: unknown) => setCopied(`Copy failed: ${e instanceof Error ? e.message : String(e)}`),
    );
  };
  const actions: ValueActions = { onFilter: a.include, onExclude: a.exclude, onPivot: a.pivot, onSearch: a.setText, onCopy: (t) => copy(t, 'value') };

  return (
    <aside className="detail" aria-label="Event detail" data-testid="detail">
      <div className="toolbar">
        <span className="toolbar-title">Event</span>
        <div className="segmented" role="tablist">
          <button type="button" role="tab" aria-selected={mode === 'tree'} className={mode === 'tree' ? 'active' : ''} onClick={() => setMode('tree')}>Tree</button>
          <button type="button" role="tab" aria-selected={mode === 'text'} className={mode === 'text' ? 'active' : ''} onClick={() => setMode('text')}>Text</button>
        </div>
        <button type="button" className="btn" disabled={!fetch.data} onClick={() => copy(pretty, 'record')}>Copy JSON</button>
        <span className="spacer" />
        <button type="button" className="btn btn-icon" title="Close (Esc)" aria-label="Close detail" onClick={a.closeDetail}>×</button>
      </div>
      {copied ? <div className="notice" role="status">{copied}</div> : null}
      {rowId === null ? <div className="state state-empty">Select an event.</div> : null}
      {fetch.error ? <ErrorBox error={fetch.error} onRetry={fetch.retry} /> : null}
      {fetch.data === null && fetch.loading ? <Loading /> : null}
      {fetch.data ? (
        <div className={`detail-body${fetch.stale ? ' is-stale' : ''}`} aria-busy={fetch.stale}>
          <Summary row={fetch.data.row} />
          <Copies copies={fetch.data.copies} onOpen={(id) => a.select(id, -1, true)} />
          {parsed && !parsed.ok ? <div className="notice">The record is not valid JSON ({parsed.message}); shown as text.</div> : null}
          {mode === 'tree' && parsed?.ok ? <JsonTree value={parsed.value} actions={actions} /> : <pre className="raw-text">{reveal(pretty)}</pre>}
        </div>
      ) : null}
    </aside>
  );
}

function Summary({ row }: { readonly row: EventRow }) {
  const items: [string, string | null][] = [
    ['Time', `${formatUtc(row.eventTimeMs, true)} UTC`],
    ['Event', row.eventName && row.eventSource ? `${row.eventName} · ${row.eventSource}` : row.eventName],
    ['Principal', row.userIdentity_arn],
    ['Source IP', row.sourceIPAddress],
    ['Outcome', row.errorCode ? `${row.errorCode}${row.errorMessage ? `: ${row.errorMessage}` : ''}` : 'success'],
    ['From', row.source_file ? `${row.source_file} #${row.source_index ?? '?'}` : null],
  ];
  return (
    <dl className="detail-summary">
      {items.map(([k, v]) =>
        v ? (
          <div key={k} className={k === 'Outcome' && row.errorCode ? 'error-text' : ''}>
            <dt>{k}</dt>
            <dd title={reveal(v)}>{reveal(v)}</dd>
          </div>
        ) : null,
      )}
    </dl>
  );
}

/** The same action as recorded for the other accounts involved (same sharedEventID). */
function Copies({ copies, onOpen }: { readonly copies: readonly EventRow[]; onOpen(rowId: number): void }) {
  if (copies.length === 0) return null;
  return (
    <div className="copies">
      <div className="section-title">Same action, recorded for {copies.length === 1 ? 'another account' : `${copies.length} other accounts`}</div>
      {copies.map((c) => (
        <button key={c.rowId} type="button" className="link-btn copy-row" onClick={() => onOpen(c.rowId)}>
          {reveal(c.recipientAccountId ?? '(no account)')} · {reveal(c.eventID)}
        </button>
      ))}
    </div>
  );
}
