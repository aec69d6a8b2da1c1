import { useEffect } from 'react';
import { useCase } from '../caseContext';
import { formatCount } from '../format';
import { useAppShallow } from '../store/context';
import type { Tab } from '../store/uiSlice';
import { SearchBox } from './SearchBox';

const TABS: readonly { id: Tab; label: string }[] = [
  { id: 'sources', label: 'Sources' },
  { id: 'events', label: 'Events' },
  { id: 'query', label: 'Query' },
  { id: 'correlation', label: 'Correlation' },
];

function caseName(path: string | null): string {
  if (!path) return 'Unsaved case';
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] ?? path;
}

export function TopBar() {
  const { summary } = useCase();
  const s = useAppShallow((st) => ({ tab: st.tab, theme: st.theme, importRun: st.importRun, setTab: st.setTab, setTheme: st.setTheme }));
  const running = s.importRun !== null && s.importRun.report === null;
  const sum = summary.data;
  const name = caseName(sum?.path ?? null);
  useEffect(() => {
    document.title = `${name} — Cairn`;
  }, [name]);
  return (
    <header className="topbar">
      <span className="brand">Cairn</span>
      <span className="case-name" title={sum?.path ?? 'This case has not been saved'}>
        {name}
        {sum?.dirty ? <span className="dirty" title="Unsaved changes"> •</span> : null}
      </span>
      {sum ? <span className="muted case-count">{formatCount(sum.events)} events</span> : null}
      <nav className="tabs" role="tablist">
        {TABS.map((t) => (
          <button key={t.id} type="button" role="tab" aria-selected={s.tab === t.id} className={s.tab === t.id ? 'tab active' : 'tab'} onClick={() => s.setTab(t.id)}>
            {t.label}
          </button>
        ))}
      </nav>
      <SearchBox />
      {running ? (
        <button type="button" className="btn import-mini" onClick={() => s.setTab('sources')}>
          Importing… {formatCount(s.importRun?.progress?.records ?? 0)}
        </button>
      ) : (
        <button type="button" className="btn btn-primary" onClick={() => s.setTab('sources')}>
          Import
        </button>
      )}
      <button type="button" className="btn btn-icon theme-toggle" title={s.theme === 'dark' ? 'Light theme' : 'Dark theme'} aria-label="Toggle theme" onClick={() => s.setTheme(s.theme === 'dark' ? 'light' : 'dark')}>
        {s.theme === 'dark' ? '☀' : '☾'}
      </button>
    </header>
  );
}
