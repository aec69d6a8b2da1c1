import { useState } from 'react';

export interface PathFormProps {
  readonly label: string;
  readonly action: string;
  readonly placeholder: string;
  readonly multiline?: boolean;
  readonly busy?: boolean;
  readonly testId?: string;
  readonly initial?: string;
  onSubmit(text: string): void;
}

/** A server-side path (or several, one per line) typed by the user: web mode has no file dialog. */
export function PathForm(p: PathFormProps) {
  const [text, setText] = useState(p.initial ?? '');
  const submit = (): void => {
    if (text.trim()) p.onSubmit(text);
  };
  return (
    <form
      className="path-form"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <label className="path-label">
        {p.label}
        {p.multiline ? (
          <textarea data-testid={p.testId} rows={3} value={text} placeholder={p.placeholder} spellCheck={false} onChange={(e) => setText(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && (e.ctrlKey || e.metaKey) && submit()} />
        ) : (
          <input data-testid={p.testId} type="text" value={text} placeholder={p.placeholder} spellCheck={false} onChange={(e) => setText(e.target.value)} />
        )}
      </label>
      <button type="submit" className="btn btn-primary" disabled={p.busy || !text.trim()}>
        {p.action}
      </button>
    </form>
  );
}
