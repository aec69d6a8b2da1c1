import type { ReactNode } from 'react';
import type { ApiError } from '../../shared/api';

/** The error state every panel shows: what went wrong and a way to try again. */
export function ErrorBox({ error, onRetry }: { readonly error: ApiError; readonly onRetry: () => void }) {
  return (
    <div className="state state-error" role="alert">
      <span className="state-title">Could not load ({error.code})</span>
      <span className="state-message">{error.message}</span>
      <button type="button" className="btn" onClick={onRetry}>
        Retry
      </button>
    </div>
  );
}

export function EmptyState({ title, children }: { readonly title: string; readonly children?: ReactNode }) {
  return (
    <div className="state state-empty">
      <span className="state-title">{title}</span>
      {children}
    </div>
  );
}

export function Loading({ label = 'Loading…' }: { readonly label?: string }) {
  return (
    <div className="state state-loading" aria-busy="true">
      <span className="spinner" aria-hidden="true" />
      {label}
    </div>
  );
}
