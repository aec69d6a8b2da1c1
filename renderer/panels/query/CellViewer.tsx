/** The selected cell in full (text, wrapped), with a copy button. */
import { useState } from 'react';
import { cellText, expandedText, type Cell } from './grid';

export function CellViewer({ column, value, onClose }: { readonly column: string; readonly value: Cell; onClose(): void }) {
  const [note, setNote] = useState<string | null>(null);
  const text = cellText(value);
  const copy = (): void => {
    navigator.clipboard.writeText(value === null ? '' : text).then(
      () => setNote('Copied'),
      (e: unknown) => setNote(`Copy failed: ${e instanceof Error ? e.message : String(e)}`),
    );
  };
  return (
    <div className="cell-viewer" data-testid="cell-viewer">
      <div className="cell-viewer-head">
        <span className="toolbar-title mono">{column}</span>
        <span className="muted">{value === null ? 'NULL' : `${text.length.toLocaleString('en-US')} characters`}</span>
        <span className="spacer" />
        {note ? <span className="muted" role="status">{note}</span> : null}
        <button type="button" className="btn" onClick={copy}>Copy</button>
        <button type="button" className="btn btn-icon" aria-label="Close the cell viewer" onClick={onClose}>×</button>
      </div>
      <pre className="cell-viewer-text">{expandedText(value)}</pre>
    </div>
  );
}
