/**
 * The query panel: free read-only SQL over the case (`sql:run`) with completion from `sql:schema`,
 * a virtualised result grid, the elapsed time and row count, inline errors, history and starters.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { SqlResult } from '../../../shared/api';
import { call } from '../../api';
import { EmptyState, Loading } from '../../components/PanelState';
import { useKeyedFetch } from '../../hooks/useKeyedFetch';
import { useAppShallow, useAppStore } from '../../store/context';
import { CellViewer } from './CellViewer';
import type { SchemaTable } from './completion';
import { csvFileName, resultCsv } from './grid';
import { saveHistory } from './history';
import { QuerySide } from './QuerySide';
import { ResultGrid, type CellRef } from './ResultGrid';
import { fetchSchema, resultStatus, runOnce, runStatement } from './run';
import { SqlEditor } from './SqlEditor';
import { STARTER_QUERIES } from './starters';
import { downloadText } from './download';
import '../../styles/query.css';

const NO_TABLES: readonly SchemaTable[] = [];

export function QueryPanel() {
  const s = useAppShallow((st) => ({ sql: st.sql, ran: st.ran, history: st.history, dataVersion: st.dataVersion, setSql: st.setSql, runQuery: st.runQuery, clearHistory: st.clearHistory }));
  const store = useAppStore();
  const [selected, setSelected] = useState<CellRef | null>(null);
  const ran = s.ran;
  const runKey = ran ? `${ran.seq}:${s.dataVersion}` : null;
  const result = useKeyedFetch<SqlResult>(runKey, () => runOnce(store, runKey ?? '', () => runStatement(call, ran?.sql ?? '')));
  const schema = useKeyedFetch(`schema:${s.dataVersion}`, () => fetchSchema(call));
  const tables = schema.data?.tables ?? NO_TABLES;

  useEffect(() => saveHistory(s.history), [s.history]);
  useEffect(() => setSelected(null), [result.data]);

  const { runQuery } = s;
  const onRun = useCallback((sql: string) => runQuery(sql), [runQuery]);
  // A failed run shows its error, not the rows of the run before it.
  const data = result.error ? null : result.data;
  const cell = useMemo(() => (data && selected ? { column: data.columns[selected.col] ?? '', value: data.rows[selected.row]?.[selected.col] ?? null } : null), [data, selected]);
  const copyCell = (c: CellRef): void => {
    const v = data?.rows[c.row]?.[c.col] ?? null;
    void navigator.clipboard.writeText(v === null ? '' : String(v)).catch((e: unknown) => console.warn(`cairn: copy failed (${e instanceof Error ? e.message : String(e)})`));
  };
  const exportCsv = (): void => {
    if (data) downloadText(csvFileName(new Date()), resultCsv(data.columns, data.rows));
  };

  return (
    <div className="query-panel" data-testid="query-panel">
      <QuerySide starters={STARTER_QUERIES} history={s.history} onLoad={s.setSql} onClearHistory={s.clearHistory} />
      <div className="query-main">
        <div className="toolbar">
          <button type="button" className="btn btn-primary" onClick={() => s.runQuery()} title="Run (Ctrl+Enter)">Run</button>
          <span className="hint">Ctrl+Enter runs · read-only, one statement</span>
          <span className="spacer" />
          {result.loading ? <span className="muted">Running…</span> : null}
          {data && !result.loading && !result.stale ? (
            <span className="muted" data-testid="query-status">{resultStatus(data)}</span>
          ) : null}
          <button type="button" className="btn" disabled={!data || data.rows.length === 0} onClick={exportCsv} title="Save the rows shown as CSV (spreadsheet formulas neutralised)">Export CSV</button>
        </div>
        <SqlEditor value={s.sql} tables={tables} onChange={s.setSql} onRun={onRun} />
        {schema.error ? <div className="notice notice-error">Completion unavailable: {schema.error.message}</div> : null}
        {result.error ? (
          <div className="query-error" role="alert" data-testid="query-error">
            <span className="state-title">Query failed</span> <span className="mono">{result.error.message}</span>
          </div>
        ) : null}
        <ResultArea ranSql={ran?.sql ?? null} loading={result.loading} data={data} stale={result.stale} resetKey={String(ran?.seq ?? 0)} selected={selected} onSelect={setSelected} onCopy={copyCell} />
        {cell ? <CellViewer column={cell.column} value={cell.value} onClose={() => setSelected(null)} /> : null}
      </div>
    </div>
  );
}

interface ResultAreaProps {
  readonly ranSql: string | null;
  readonly loading: boolean;
  readonly data: SqlResult | null;
  readonly stale: boolean;
  readonly resetKey: string;
  readonly selected: CellRef | null;
  onSelect(c: CellRef): void;
  onCopy(c: CellRef): void;
}

function ResultArea(p: ResultAreaProps) {
  if (p.ranSql === null) {
    return (
      <EmptyState title="No query run yet">
        <span className="muted">Write SQL over the <span className="mono">events</span> view (or pick a starter query) and press Ctrl+Enter.</span>
      </EmptyState>
    );
  }
  if (!p.data) return p.loading ? <Loading label="Running…" /> : null;
  if (p.data.columns.length === 0 || (p.data.rows.length === 0 && !p.loading)) {
    return <EmptyState title="No rows">{p.data.columns.length > 0 ? <span className="muted mono">{p.data.columns.join(', ')}</span> : null}</EmptyState>;
  }
  return <ResultGrid columns={p.data.columns} rows={p.data.rows} stale={p.stale || p.loading} selected={p.selected} resetKey={p.resetKey} onSelect={p.onSelect} onCopy={p.onCopy} />;
}
