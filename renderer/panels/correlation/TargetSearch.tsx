/** The correlation panel's search: an access key, principal ARN, IP or session id, kind guessed or chosen. */
import { useState, type FormEvent } from 'react';
import { guessTarget, KIND_LABELS, type Target, type TargetKind } from './target';

const KINDS: readonly TargetKind[] = ['accessKey', 'principal', 'sessionIssuer', 'ip', 'session', 'userAgent'];

export function TargetSearch({ onSubmit }: { onSubmit(t: Target): void }) {
  const [text, setText] = useState('');
  const [kind, setKind] = useState<TargetKind | 'auto'>('auto');
  const [problem, setProblem] = useState<string | null>(null);
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    const value = text.trim();
    if (value === '') return;
    const t = kind === 'auto' ? guessTarget(value) : { kind, value };
    if (!t) {
      setProblem('Not recognised: type an access key (AKIA…, ASIA…), an ARN, an IP address or a session number, or choose the kind.');
      return;
    }
    setProblem(null);
    onSubmit(t);
  };
  return (
    <form className="corr-search" onSubmit={submit} role="search">
      <input type="search" className="mono" aria-label="Access key, principal ARN, IP or session id" placeholder="Access key, principal ARN, IP or session id" value={text} onChange={(e) => setText(e.target.value)} data-testid="corr-search" />
      <select aria-label="Kind" value={kind} onChange={(e) => setKind(e.target.value as TargetKind | 'auto')}>
        <option value="auto">Guess kind</option>
        {KINDS.map((k) => (
          <option key={k} value={k}>{KIND_LABELS[k]}</option>
        ))}
      </select>
      <button type="submit" className="btn">Correlate</button>
      {problem ? <span className="error-text corr-search-problem" role="alert">{problem}</span> : null}
    </form>
  );
}
