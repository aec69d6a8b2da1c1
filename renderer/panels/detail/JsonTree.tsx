import { useState } from 'react';
import type { FilterField } from '../../../shared/domain';
import { Revealed } from '../../components/Revealed';
import { reveal } from '../../format';
import { fieldOfPath, filterValue, pathLabel, type JsonPath } from './paths';

export interface ValueActions {
  onFilter(field: FilterField, value: string | null): void;
  onExclude(field: FilterField, value: string | null): void;
  onPivot(field: FilterField, value: string | null): void;
  onSearch(text: string): void;
  onCopy(text: string): void;
}

type Json = null | boolean | number | string | readonly Json[] | { readonly [k: string]: Json };

/** The original record as a collapsible tree. Every value is text; every leaf offers its actions. */
export function JsonTree({ value, actions }: { readonly value: Json; readonly actions: ValueActions }) {
  return (
    <div className="json-tree" role="tree">
      <Node name={null} value={value} path={[]} depth={0} actions={actions} />
    </div>
  );
}

function Node({ name, value, path, depth, actions }: { readonly name: string | number | null; readonly value: Json; readonly path: JsonPath; readonly depth: number; readonly actions: ValueActions }) {
  const [open, setOpen] = useState(depth < 3);
  const keyEl = name === null ? null : <span className={typeof name === 'number' ? 'json-index' : 'json-key'}>{typeof name === 'number' ? `[${name}]` : reveal(name)}</span>;
  if (value !== null && typeof value === 'object') {
    const entries: [string | number, Json][] = Array.isArray(value) ? value.map((v, i) => [i, v] as [number, Json]) : Object.entries(value);
    const brackets = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
    return (
      <div className="json-node" role="treeitem" aria-expanded={open}>
        <button type="button" className="json-toggle" onClick={() => setOpen(!open)}>
          <span className="chevron" aria-hidden="true">{open ? '▾' : '▸'}</span>
          {keyEl}
          <span className="json-punct">
            {brackets[0]}
            {open ? '' : ` ${entries.length} ${Array.isArray(value) ? 'items' : 'keys'} ${brackets[1]}`}
          </span>
        </button>
        {open ? (
          <div className="json-children">
            {entries.map(([k, v]) => (
              <Node key={String(k)} name={k} value={v} path={[...path, k]} depth={depth + 1} actions={actions} />
            ))}
            <span className="json-punct">{brackets[1]}</span>
          </div>
        ) : null}
      </div>
    );
  }
  return <Leaf keyEl={keyEl} value={value} path={path} actions={actions} />;
}

function Leaf({ keyEl, value, path, actions }: { readonly keyEl: React.ReactNode; readonly value: null | boolean | number | string; readonly path: JsonPath; readonly actions: ValueActions }) {
  const field = fieldOfPath(path);
  const fv = filterValue(value);
  const shown = reveal(typeof value === 'string' ? JSON.stringify(value) : String(value));
  return (
    <div className="json-leaf" role="treeitem" data-path={pathLabel(path)}>
      {keyEl}
      <span className={`json-value json-${value === null ? 'null' : typeof value}`}>
        <Revealed text={shown} />
      </span>
      <span className="leaf-actions">
        {field ? (
          <>
            <button type="button" className="mini-btn" title="Filter to this value" onClick={() => actions.onFilter(field, fv)}>filter</button>
            <button type="button" className="mini-btn" title="Exclude this value" onClick={() => actions.onExclude(field, fv)}>exclude</button>
            <button type="button" className="mini-btn" title="Show only this value (identities open in Correlation)" onClick={() => actions.onPivot(field, fv)}>pivot</button>
          </>
        ) : fv !== null && fv !== '' ? (
          <button type="button" className="mini-btn" title="Search the records for this text" onClick={() => actions.onSearch(fv)}>search</button>
        ) : null}
        <button type="button" className="mini-btn" title="Copy the value" onClick={() => actions.onCopy(fv ?? 'null')}>copy</button>
      </span>
    </div>
  );
}

export function parseJson(raw: string): { readonly ok: true; readonly value: Json } | { readonly ok: false; readonly message: string } {
  try {
    return { ok: true, value: JSON.parse(raw) as Json };
  } catch (e) {
    return { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
}
