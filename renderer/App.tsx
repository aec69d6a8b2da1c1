import { useEffect, useLayoutEffect } from 'react';
import { onPush } from './api';
import { CaseProvider, useCase } from './caseContext';
import { PanelBoundary } from './components/PanelBoundary';
import { DetailPanel } from './panels/detail/DetailPanel';
import { EventsPanel } from './panels/events/EventsPanel';
import { FieldSidebar } from './panels/filters/FieldSidebar';
import { FilterBar } from './panels/filters/FilterBar';
import { CorrelationMount, QueryMount } from './panels/mounts';
import { SourcesPanel } from './panels/sources/SourcesPanel';
import { TimelinePanel } from './panels/timeline/TimelinePanel';
import { pickPrefs, savePrefs } from './prefs';
import type { AppStore } from './store';
import { StoreProvider, useApp, useAppShallow } from './store/context';
import { TopBar } from './shell/TopBar';
import { useMenuCommands } from './shell/useMenuCommands';
import { Welcome } from './shell/Welcome';
import { ConnectionBanner } from './shell/ConnectionBanner';

export function App({ store }: { readonly store: AppStore }) {
  useEffect(() => {
    const offs = [
      onPush('import:progress', (p) => store.getState().importProgress(p)),
      onPush('import:done', (d) => store.getState().importDone(d.importId, d.report)),
      onPush('case:changed', () => store.getState().dataChanged()),
    ];
    return () => offs.forEach((off) => off());
  }, [store]);
  useEffect(() => {
    let last = JSON.stringify(pickPrefs(store.getState()));
    return store.subscribe((s) => {
      const next = JSON.stringify(pickPrefs(s));
      if (next !== last) savePrefs(pickPrefs(s));
      last = next;
    });
  }, [store]);
  return (
    <StoreProvider store={store}>
      <CaseProvider>
        <Shell />
      </CaseProvider>
    </StoreProvider>
  );
}

function Shell() {
  const { tab, theme, detailOpen, correlationTarget } = useAppShallow((s) => ({ tab: s.tab, theme: s.theme, detailOpen: s.detailOpen, correlationTarget: s.correlationTarget }));
  useMenuCommands();
  // A layout effect runs before the panels' effects, so a canvas repainting for the new theme reads its colours.
  useLayoutEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  return (
    <div className="app">
      <TopBar />
      <ConnectionBanner />
      <main className="main">
        {/* The events view stays mounted while other tabs show: its scroll, selection and data survive a look elsewhere. */}
        <div className="tab-page" hidden={tab !== 'events'}>
          <EventsView detailOpen={detailOpen} />
        </div>
        {tab === 'sources' ? (
          <PanelBoundary name="Sources">
            <SourcesPanel />
          </PanelBoundary>
        ) : null}
        {/* Mount point: renderer/panels/query/QueryPanel.tsx (see panels/mounts.tsx). */}
        {tab === 'query' ? (
          <PanelBoundary name="Query">
            <QueryMount />
          </PanelBoundary>
        ) : null}
        {/* Mount point: renderer/panels/correlation/CorrelationPanel.tsx; it reads `correlationTarget` from the store. */}
        {tab === 'correlation' ? (
          <PanelBoundary name="Correlation">
            <CorrelationMount target={correlationTarget} />
          </PanelBoundary>
        ) : null}
      </main>
    </div>
  );
}

function EventsView({ detailOpen }: { readonly detailOpen: boolean }) {
  const hasSelection = useApp((s) => s.selected !== null);
  const { summary } = useCase();
  if (summary.data?.events === 0) return <Welcome />;
  return (
    <div className={`events-view${detailOpen && hasSelection ? ' with-detail' : ''}`}>
      <PanelBoundary name="Fields">
        <FieldSidebar />
      </PanelBoundary>
      <div className="centre">
        <FilterBar />
        <PanelBoundary name="Timeline">
          <TimelinePanel />
        </PanelBoundary>
        <PanelBoundary name="Events">
          <EventsPanel />
        </PanelBoundary>
      </div>
      {detailOpen && hasSelection ? (
        <PanelBoundary name="Event detail">
          <DetailPanel />
        </PanelBoundary>
      ) : null}
    </div>
  );
}
