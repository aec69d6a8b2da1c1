import { useAppShallow } from '../store/context';

/** What an empty case shows instead of empty panels: where to start. */
export function Welcome() {
  const { setTab, importRun } = useAppShallow((s) => ({ setTab: s.setTab, importRun: s.importRun }));
  const running = importRun !== null && importRun.report === null;
  return (
    <div className="welcome" data-testid="welcome">
      <h1>No evidence in this case yet</h1>
      <p className="muted">
        Open a copy of a CloudTrail S3 archive (<span className="mono">AWSLogs/…/CloudTrail/…/*.json.gz</span>), a zip or tarball of it, <span className="mono">lookup-events</span> output, or console and SIEM exports. Evidence is read, never modified, and every file is hashed.
      </p>
      <button type="button" className="btn btn-primary" onClick={() => setTab('sources')}>
        {running ? 'Show the import in progress' : 'Open evidence…'}
      </button>
      <p className="muted welcome-keys">
        Then: <kbd>/</kbd> search · click a field value to filter, <kbd>Alt</kbd>-click to exclude · drag on the timeline to select a time range · <kbd>↑</kbd>
        <kbd>↓</kbd> rows · <kbd>Enter</kbd> details
      </p>
    </div>
  );
}
