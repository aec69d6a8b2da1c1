import { Component, type ErrorInfo, type ReactNode } from 'react';

interface State {
  readonly error: Error | null;
}

/**
 * A bug in one panel must not blank the whole window: the panel shows what broke and can be
 * re-mounted; the rest of the app keeps working.
 */
export class PanelBoundary extends Component<{ readonly name: string; readonly children: ReactNode }, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error(`cairn: the ${this.props.name} panel failed`, error, info.componentStack);
  }

  override render(): ReactNode {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <div className="state state-error" role="alert">
        <span className="state-title">The {this.props.name} panel stopped because of a bug</span>
        <span className="state-message">{error.message}</span>
        <button type="button" className="btn" onClick={() => this.setState({ error: null })}>
          Reload the panel
        </button>
      </div>
    );
  }
}
