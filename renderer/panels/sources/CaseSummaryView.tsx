import type { CaseSummary, CountByValue } from '../../../shared/domain';
import { formatCount, formatUtc } from '../../format';
import { valueLabel } from '../../store/filterOps';

export function CaseSummaryView({ summary }: { readonly summary: CaseSummary }) {
  return (
    <div className="case-summary" data-testid="case-summary">
      <div className="stat-row">
        <Stat label="Events" value={formatCount(summary.events)} />
        <Stat label="Sources" value={formatCount(summary.sources)} />
        <Stat label="Rejects" value={formatCount(summary.rejects)} />
        <Stat label="First event (UTC)" value={summary.firstMs === null ? '—' : formatUtc(summary.firstMs)} />
        <Stat label="Last event (UTC)" value={summary.lastMs === null ? '—' : formatUtc(summary.lastMs)} />
        <Stat label="Case file" value={summary.path ?? 'not saved'} />
      </div>
      <div className="top-lists">
        <TopList title="Accounts" values={summary.accounts} />
        <TopList title="Regions" values={summary.regions} />
        <TopList title="Top event names" values={summary.topEventNames} />
      </div>
    </div>
  );
}

function Stat({ label, value }: { readonly label: string; readonly value: string }) {
  return (
    <div className="stat">
      <div className="stat-label">{label}</div>
      <div className="stat-value" title={value}>{value}</div>
    </div>
  );
}

function TopList({ title, values }: { readonly title: string; readonly values: readonly CountByValue[] }) {
  return (
    <div className="top-list">
      <div className="section-title">{title}</div>
      {values.length === 0 ? <div className="muted">—</div> : null}
      {values.slice(0, 10).map((v) => (
        <div key={String(v.value)} className="top-list-row">
          <span className="top-list-value" title={valueLabel(v.value)}>{valueLabel(v.value)}</span>
          <span className="num">{formatCount(v.count)}</span>
        </div>
      ))}
    </div>
  );
}
