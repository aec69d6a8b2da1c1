/**
 * "Firsts" of the chain: when each IP, user agent, region and API was first used, oldest first. The
 * first entry of each list is the baseline; every later one is new in the middle of the activity.
 */
import type { Correlation } from '../../../shared/correlation';
import { formatCount } from '../../format';

const GROUPS: readonly { readonly key: keyof Correlation['firsts']; readonly label: string }[] = [
  { key: 'ip', label: 'Source IPs' },
  { key: 'userAgent', label: 'User agents' },
  { key: 'region', label: 'Regions' },
  { key: 'eventName', label: 'APIs' },
];
const SHOWN = 12;

export function Firsts({ firsts }: { readonly firsts: Correlation['firsts'] }) {
  return (
    <section className="corr-card firsts" aria-label="Firsts" data-testid="firsts">
      <h2>Firsts <span className="muted">when the chain first used each…</span></h2>
      <div className="firsts-grid">
        {GROUPS.map((g) => {
          const list = firsts[g.key];
          return (
            <div key={g.key} data-first={g.key}>
              <div className="section-title">{g.label} <span className="muted">({formatCount(list.length)})</span></div>
              {list.length === 0 ? <div className="muted">None</div> : null}
              <ol className="firsts-list">
                {list.slice(0, SHOWN).map((f, i) => (
                  <li key={f.value} className={i > 0 ? 'is-new' : ''}>
                    <span className="mono firsts-time">{f.first.slice(0, 19).replace('T', ' ')}</span>
                    <span className="firsts-value" title={f.value}>{f.value}</span>
                    <span className="muted num">{formatCount(f.events)}</span>
                  </li>
                ))}
              </ol>
              {list.length > SHOWN ? <div className="hint">+{formatCount(list.length - SHOWN)} more</div> : null}
            </div>
          );
        })}
      </div>
    </section>
  );
}
