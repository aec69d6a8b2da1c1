/**
 * MOUNT POINTS for the panels another helper writes: renderer/panels/query/QueryPanel.tsx (export
 * `QueryPanel`) and renderer/panels/correlation/CorrelationPanel.tsx (export `CorrelationPanel`).
 * Vite's glob finds them when they exist; until then the tab shows a "coming" placeholder.
 */
import { lazy, Suspense, type ComponentType } from 'react';
import { Loading } from '../components/PanelState';

type Loader = () => Promise<Record<string, unknown>>;

const queryModules = import.meta.glob('./query/QueryPanel.tsx') as Record<string, Loader>;
const correlationModules = import.meta.glob('./correlation/CorrelationPanel.tsx') as Record<string, Loader>;

function lazyPanel(modules: Record<string, Loader>, exportName: string): ComponentType | null {
  const load = Object.values(modules)[0];
  if (!load) return null;
  return lazy(async () => {
    const m = await load();
    const C = m[exportName];
    if (typeof C !== 'function') throw new Error(`${exportName} is not exported by its module`);
    return { default: C as ComponentType };
  });
}

const QueryPanel = lazyPanel(queryModules, 'QueryPanel');
const CorrelationPanel = lazyPanel(correlationModules, 'CorrelationPanel');

function Coming({ name, children }: { readonly name: string; readonly children?: React.ReactNode }) {
  return (
    <div className="coming" data-testid={`coming-${name.toLowerCase()}`}>
      <h2>{name}</h2>
      <p className="muted">Coming: this panel is being built.</p>
      {children}
    </div>
  );
}

export function QueryMount() {
  if (!QueryPanel) return <Coming name="Query" />;
  return (
    <Suspense fallback={<Loading />}>
      <QueryPanel />
    </Suspense>
  );
}

export function CorrelationMount({ target }: { readonly target: { readonly kind: string; readonly value: string } | null }) {
  if (!CorrelationPanel) {
    return <Coming name="Correlation">{target ? <p>Asked to follow {target.kind}: <span className="mono">{target.value}</span></p> : null}</Coming>;
  }
  return (
    <Suspense fallback={<Loading />}>
      <CorrelationPanel />
    </Suspense>
  );
}
