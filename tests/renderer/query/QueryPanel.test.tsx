// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiName, Result } from '../../../shared/api';
import { QueryPanel } from '../../../renderer/panels/query/QueryPanel';
import { HISTORY_KEY } from '../../../renderer/panels/query/history';
import { STARTER_QUERIES } from '../../../renderer/panels/query/starters';
import { createAppStore, type AppStore } from '../../../renderer/store';
import { StoreProvider } from '../../../renderer/store/context';

const call = vi.hoisted(() => vi.fn());
vi.mock('../../../renderer/api', () => ({ call, onPush: () => () => undefined }));

// jsdom has no layout: CodeMirror measures text through Range rects, which jsdom leaves out.
Range.prototype.getClientRects ??= function getClientRects(): DOMRectList {
  return Object.assign([], { item: () => null }) as unknown as DOMRectList;
};
Range.prototype.getBoundingClientRect ??= function getBoundingClientRect(): DOMRect {
  return new DOMRect(0, 0, 0, 0);
};

const HOSTILE = '<img src=x onerror=window.__pwned=1>';
type Answer = (req: unknown) => Promise<Result<unknown>>;

function answers(sql: Answer): void {
  const base: Partial<Record<ApiName, Answer>> = {
    'correlate:chain': async () => ({ ok: true, value: { roots: [], sessions: [], created: [], accessKeys: [], accounts: [], ips: [], eventNames: [], events: 0, firsts: { ip: [], userAgent: [], region: [], eventName: [] } } }),
    'sql:schema': async () => ({ ok: true, value: { tables: [{ name: 'events', columns: ['eventName', 'userAgent'] }] } }),
    'sql:run': sql,
  };
  call.mockImplementation((name: ApiName, req: unknown) => (base[name] ?? (async () => ({ ok: false, error: { code: 'unsupported', message: name } })))(req));
}

let store: AppStore;
beforeEach(() => {
  window.localStorage.clear();
  store = createAppStore();
  call.mockReset();
});
afterEach(cleanup);

function show(): void {
  render(
    <StoreProvider store={store}>
      <QueryPanel />
    </StoreProvider>,
  );
}

describe('the query panel', () => {
  it('starts with nothing run, the editor, the starters and the schema asked for', async () => {
    answers(async () => ({ ok: true, value: { columns: [], rows: [], truncated: false, elapsedMs: 0 } }));
    show();
    expect(screen.getByText('No query run yet')).toBeTruthy();
    expect(screen.getByTestId('sql-editor')).toBeTruthy();
    expect(screen.getByTestId('starter-queries').querySelectorAll('button')).toHaveLength(STARTER_QUERIES.length);
    await waitFor(() => expect(call).toHaveBeenCalledWith('sql:schema', {}));
    expect(call).not.toHaveBeenCalledWith('sql:run', expect.anything());
  });

  it('runs, shows loading, then rows as text with the count and time, and records the history', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    answers(async () => {
      await gate;
      return { ok: true, value: { columns: ['eventName', 'userAgent'], rows: [[HOSTILE, null], ['GetObject', 'aws-cli']], truncated: false, elapsedMs: 3.2 } };
    });
    show();
    fireEvent.click(screen.getByRole('button', { name: 'Run' }));
    expect(screen.getAllByText('Running…').length).toBeGreaterThan(0);
    release();
    expect((await screen.findByTestId('query-status')).textContent).toBe('2 rows in 3.2 ms');
    expect(call).toHaveBeenCalledWith('sql:run', { sql: store.getState().sql.trim(), maxRows: 10_000 });
    const grid = screen.getByTestId('result-grid');
    expect(grid.getAttribute('aria-rowcount')).toBe('2');
    expect(JSON.parse(window.localStorage.getItem(HISTORY_KEY) ?? '[]')).toHaveLength(1);
    expect(screen.getByTestId('query-history').querySelectorAll('button')).toHaveLength(1);
  });

  it('shows the engine\'s error inline, not the rows of the run before', async () => {
    let ok = true;
    answers(async () => (ok ? { ok: true, value: { columns: ['n'], rows: [[1]], truncated: false, elapsedMs: 1 } } : { ok: false, error: { code: 'sql-error', message: 'no such column: nope' } }));
    show();
    fireEvent.click(screen.getByRole('button', { name: 'Run' }));
    await screen.findByTestId('query-status');
    ok = false;
    store.getState().runQuery('SELECT nope FROM events');
    expect((await screen.findByTestId('query-error')).textContent).toContain('no such column: nope');
    expect(screen.queryByTestId('result-grid')).toBeNull();
    expect(screen.queryByTestId('query-status')).toBeNull();
  });

  it('keeps the last result when the panel comes back, without running it again', async () => {
    answers(async () => ({ ok: true, value: { columns: ['n'], rows: [[7]], truncated: false, elapsedMs: 1 } }));
    show();
    fireEvent.click(screen.getByRole('button', { name: 'Run' }));
    await screen.findByTestId('query-status');
    cleanup();
    show();
    expect((await screen.findByTestId('query-status')).textContent).toBe('1 row in 1.0 ms');
    expect(call.mock.calls.filter((c) => c[0] === 'sql:run')).toHaveLength(1);
  });

  it('loads a starter query into the editor and runs it as it is', async () => {
    answers(async () => ({ ok: true, value: { columns: ['access_key'], rows: [], truncated: false, elapsedMs: 1 } }));
    show();
    const starter = STARTER_QUERIES.find((s) => s.id === 'sessions-behind');
    fireEvent.click(screen.getByText(starter?.title ?? '?'));
    expect(store.getState().sql).toBe(starter?.sql);
    fireEvent.click(screen.getByRole('button', { name: 'Run' }));
    expect(await screen.findByText('No rows')).toBeTruthy();
    expect(call.mock.calls.filter((c) => c[0] === 'sql:run').map((c) => (c[1] as { sql: string }).sql)).toEqual([starter?.sql]);
  });
});
