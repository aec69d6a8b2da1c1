/** The query panel's side list: starter queries (title and why) and the history of runs. */
import { formatUtc } from '../../format';
import type { HistoryEntry } from './history';
import type { StarterQuery } from './starters';

export interface QuerySideProps {
  readonly starters: readonly StarterQuery[];
  readonly history: readonly HistoryEntry[];
  onLoad(sql: string): void;
  onClearHistory(): void;
}

export function QuerySide(p: QuerySideProps) {
  return (
    <aside className="query-side" aria-label="Starter queries and history">
      <section>
        <div className="query-side-title">Starter queries</div>
        <ul className="query-list" data-testid="starter-queries">
          {p.starters.map((s) => (
            <li key={s.id}>
              <button type="button" className="query-item" data-starter={s.id} onClick={() => p.onLoad(s.sql)} title="Load into the editor">
                <span className="query-item-title">{s.title}</span>
                <span className="query-item-why">{s.why}</span>
              </button>
            </li>
          ))}
        </ul>
      </section>
      <section>
        <div className="query-side-title">
          History <span className="muted">({p.history.length})</span>
          <span className="spacer" />
          {p.history.length > 0 ? (
            <button type="button" className="link-btn" onClick={p.onClearHistory}>Clear</button>
          ) : null}
        </div>
        {p.history.length === 0 ? <div className="muted query-empty">Queries you run appear here.</div> : null}
        <ul className="query-list" data-testid="query-history">
          {p.history.map((h) => (
            <li key={`${h.at}:${h.sql}`}>
              <button type="button" className="query-item" onClick={() => p.onLoad(h.sql)} title={h.sql}>
                <span className="query-item-sql mono">{h.sql}</span>
                <span className="query-item-why">{formatUtc(Math.floor(h.at / 1000) * 1000)} UTC</span>
              </button>
            </li>
          ))}
        </ul>
      </section>
    </aside>
  );
}
