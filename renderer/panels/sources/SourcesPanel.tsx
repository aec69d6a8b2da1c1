import { useState } from 'react';
import { call } from '../../api';
import { useCase } from '../../caseContext';
import { ErrorBox, EmptyState, Loading } from '../../components/PanelState';
import { formatCount } from '../../format';
import { useKeyedFetch } from '../../hooks/useKeyedFetch';
import { useAppShallow } from '../../store/context';
import { errorText, parsePaths, pickPaths, startImport } from './actions';
import { CaseActions } from './CaseActions';
import { CaseSummaryView } from './CaseSummaryView';
import { ImportProgressView } from './ImportProgressView';
import { PathForm } from './PathForm';
import { RejectsTable, SourcesTable } from './SourcesTable';
import type { OpenPurpose } from '../../../shared/api';

const STEP = 500;

export function SourcesPanel() {
  const { summary, shell } = useCase();
  const native = shell === 'electron';
  const { importRun, dataVersion } = useAppShallow((s) => ({ importRun: s.importRun, dataVersion: s.dataVersion }));
  const a = useAppShallow((s) => ({ importStarted: s.importStarted, dataChanged: s.dataChanged }));
  const running = importRun !== null && importRun.report === null;
  const [startError, setStartError] = useState<string | null>(null);
  const [srcLimit, setSrcLimit] = useState(STEP);
  const [rejLimit, setRejLimit] = useState(200);
  const sources = useKeyedFetch(`sources:${dataVersion}:${srcLimit}`, () => call('sources:list', { offset: 0, limit: srcLimit }));
  const rejects = useKeyedFetch(`rejects:${dataVersion}:${rejLimit}`, () => call('rejects:list', { offset: 0, limit: rejLimit }));

  const begin = async (paths: readonly string[]): Promise<void> => {
    setStartError(null);
    const r = await startImport(paths);
    if (r.ok) a.importStarted(r.value.importId);
    else setStartError(errorText(r.error));
  };
  const pick = async (purpose: OpenPurpose): Promise<void> => {
    const r = await pickPaths(purpose);
    if (!r.ok) setStartError(errorText(r.error));
    else if (r.value) await begin(r.value);
  };
  const cancel = (): void => {
    if (importRun) void call('import:cancel', { importId: importRun.importId });
  };

  return (
    <div className="sources-panel" data-testid="sources-panel">
      <section className="card">
        <h2>Open evidence</h2>
        <p className="muted">Evidence is read, never modified. Each file is hashed (SHA-256) and every record is accounted for: imported, duplicate, or rejected with a reason.</p>
        {native ? (
          <div className="button-row">
            <button type="button" className="btn btn-primary" disabled={running} onClick={() => void pick('evidence-files')}>Open files…</button>
            <button type="button" className="btn" disabled={running} onClick={() => void pick('evidence-folder')}>Open folder…</button>
          </div>
        ) : null}
        <PathForm label={native ? 'Or paths, one per line' : 'Paths on the server, one per line (files, folders, .zip, .tar.gz)'} action="Import" placeholder="/evidence/AWSLogs" multiline busy={running} testId="import-paths" onSubmit={(t) => void begin(parsePaths(t))} />
        {startError ? <div className="notice notice-error" role="alert">{startError}</div> : null}
        {importRun ? <ImportProgressView run={importRun} onCancel={cancel} /> : null}
      </section>
      <section className="card">
        <h2>Case</h2>
        {summary.error ? <ErrorBox error={summary.error} onRetry={summary.retry} /> : null}
        {summary.data ? <CaseSummaryView summary={summary.data} /> : summary.loading ? <Loading /> : null}
        <CaseActions native={native} casePath={summary.data?.path ?? null} onChanged={a.dataChanged} />
      </section>
      <section className="card">
        <h2>Sources {sources.data ? <span className="muted">({formatCount(sources.data.total)})</span> : null}</h2>
        {sources.error ? <ErrorBox error={sources.error} onRetry={sources.retry} /> : null}
        {sources.data === null && sources.loading ? <Loading /> : null}
        {sources.data?.total === 0 ? <EmptyState title="No evidence yet">Import files or folders above.</EmptyState> : null}
        {sources.data && sources.data.total > 0 ? <SourcesTable rows={sources.data.rows} total={sources.data.total} onMore={() => setSrcLimit(srcLimit + STEP)} /> : null}
      </section>
      <section className="card">
        <h2>Rejected records {rejects.data ? <span className="muted">({formatCount(rejects.data.total)})</span> : null}</h2>
        {rejects.error ? <ErrorBox error={rejects.error} onRetry={rejects.retry} /> : null}
        {rejects.data ? <RejectsTable rows={rejects.data.rows} total={rejects.data.total} onMore={() => setRejLimit(rejLimit + STEP)} /> : rejects.loading ? <Loading /> : null}
      </section>
    </div>
  );
}
