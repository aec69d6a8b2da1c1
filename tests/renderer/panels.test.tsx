// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiName, ApiRequest, ApiResponse, Result } from '../../shared/api';
import { call } from '../../renderer/api';
import { DetailPanel } from '../../renderer/panels/detail/DetailPanel';
import { FieldSidebar } from '../../renderer/panels/filters/FieldSidebar';
import { FilterBar } from '../../renderer/panels/filters/FilterBar';
import { createAppStore, type AppStore } from '../../renderer/store';
import { StoreProvider } from '../../renderer/store/context';
import { PanelBoundary } from '../../renderer/components/PanelBoundary';

vi.mock('../../renderer/api', () => ({ call: vi.fn(), onPush: vi.fn(() => () => undefined) }));

const HOSTILE = '<img src=x onerror=window.__pwned=1>';
const RAW = JSON.stringify({ eventName: HOSTILE, userIdentity: { arn: 'arn:aws:iam::1:user/eve', type: 'IAMUser' }, readOnly: false, requestParameters: { note: 'free text', file: 'report\u202Efdp.exe' } });
const ROW = { rowId: 7, eventTimeMs: Date.UTC(2024, 0, 1), eventID: 'e', eventName: HOSTILE, eventSource: 's3.amazonaws.com', eventType: null, awsRegion: null, sourceIPAddress: '192.0.2.1', userAgent: HOSTILE, errorCode: null, errorMessage: null, readOnly: 0, recipientAccountId: null, userIdentity_type: 'IAMUser', userIdentity_arn: 'arn:aws:iam::1:user/eve', userIdentity_userName: null, userIdentity_accessKeyId: null, userIdentity_accountId: null, sessionIssuer_arn: null, sourceIdentity: null, source_file: 'f.json', source_index: 0 };

type Answer = { [K in ApiName]?: (req: ApiRequest<K>) => ApiResponse<K> };
const calls: { name: ApiName; req: unknown }[] = [];

function answer(a: Answer): void {
  vi.mocked(call).mockImplementation((async (name: ApiName, req: unknown): Promise<Result<unknown>> => {
    calls.push({ name, req });
    const f = a[name] as ((r: unknown) => unknown) | undefined;
    return f ? { ok: true, value: f(req) } : { ok: false, error: { code: 'unsupported', message: `${name} not in this test` } };
  }) as typeof call);
}

function mount(store: AppStore, ui: React.ReactNode) {
  return render(<StoreProvider store={store}>{ui}</StoreProvider>);
}

beforeEach(() => {
  calls.length = 0;
});
afterEach(cleanup);

describe('field sidebar and filter pills', () => {
  it('lists top values as text, includes on click, excludes on alt-click, and pills toggle', async () => {
    answer({ 'facets:top': (req) => ({ values: req.field === 'eventName' ? [{ value: HOSTILE, count: 3 }, { value: null, count: 1 }] : [], elapsedMs: 1 }) });
    const store = createAppStore();
    const { container } = mount(store, <><FilterBar /><FieldSidebar /></>);
    const hostile = await screen.findByText(HOSTILE.slice(0, 8), { exact: false });
    expect(container.querySelector('img')).toBeNull();
    fireEvent.click(hostile);
    expect(store.getState().clauses.map((c) => [c.field, c.values, c.negate])).toEqual([['eventName', [HOSTILE], false]]);
    fireEvent.click(await screen.findByText('(absent)'), { altKey: true });
    expect(store.getState().clauses.map((c) => [c.field, c.values, c.negate])).toEqual([
      ['eventName', [HOSTILE], false],
      ['eventName', [null], true],
    ]);
    // Every facet refetches under the new filter.
    await waitFor(() => expect(calls.some((c) => c.name === 'facets:top' && JSON.stringify(c.req).includes('"negate":true'))).toBe(true));
    const pills = screen.getAllByTestId('pill');
    expect(pills).toHaveLength(2);
    fireEvent.click(screen.getAllByRole('button', { name: 'Negate' })[0]!);
    expect(store.getState().clauses[0]?.negate).toBe(true);
    fireEvent.click(screen.getAllByTitle('Disable this clause')[0]!);
    expect(store.getState().clauses[0]?.enabled).toBe(false);
    fireEvent.click(screen.getAllByRole('button', { name: 'Remove' })[1]!);
    expect(store.getState().clauses).toHaveLength(1);
    fireEvent.click(screen.getByText('Clear all'));
    expect(store.getState().clauses).toHaveLength(0);
  });

  it('shows an error with a retry', async () => {
    answer({});
    mount(createAppStore({ expandedFacets: ['eventName'] }), <FieldSidebar />);
    const retry = await screen.findByRole('button', { name: 'Retry' });
    answer({ 'facets:top': () => ({ values: [{ value: 'GetObject', count: 2 }], elapsedMs: 1 }) });
    fireEvent.click(retry);
    expect(await screen.findByText('GetObject')).toBeTruthy();
  });
});

describe('event detail', () => {
  it('shows the original record as text and offers filter, exclude, pivot and search on values', async () => {
    answer({ 'event:get': () => ({ row: ROW, raw: RAW, copies: [{ ...ROW, rowId: 8, recipientAccountId: '444455556666', eventID: 'e-copy' }] }) });
    const store = createAppStore();
    act(() => store.getState().select(7, 0, true));
    const { container } = mount(store, <DetailPanel />);
    await screen.findByText(JSON.stringify(HOSTILE));
    expect(container.querySelector('img')).toBeNull();
    expect(calls).toEqual([{ name: 'event:get', req: { rowId: 7 } }]);
    // A right-to-left override is shown, marked, instead of reversing the text after it.
    expect(container.querySelector('[data-path="requestParameters.file"] .hidden-char')?.textContent).toBe('⟨U+202E⟩');

    const leaf = (path: string): HTMLElement => container.querySelector(`[data-path="${path}"]`) as HTMLElement;
    fireEvent.click(leaf('eventName').querySelector('[title="Filter to this value"]')!);
    fireEvent.click(leaf('readOnly').querySelector('[title="Exclude this value"]')!);
    expect(store.getState().clauses.map((c) => [c.field, c.values, c.negate])).toEqual([
      ['eventName', [HOSTILE], false],
      ['readOnly', ['false'], true],
    ]);
    fireEvent.click(leaf('requestParameters.note').querySelector('[title="Search the records for this text"]')!);
    expect(store.getState().text).toBe('free text');
    fireEvent.click(leaf('userIdentity.arn').querySelector('[title^="Show only this value"]')!);
    expect(store.getState().correlationTarget).toEqual({ kind: 'principal', value: 'arn:aws:iam::1:user/eve' });
    expect(store.getState().tab).toBe('correlation');

    // The same action recorded for another account opens from the detail.
    fireEvent.click(screen.getByRole('button', { name: /444455556666/ }));
    expect(store.getState().selected).toEqual({ rowId: 8, index: -1 });

    fireEvent.click(screen.getByRole('tab', { name: 'Text' }));
    expect(container.querySelector('pre.raw-text')?.textContent).toBe(JSON.stringify(JSON.parse(RAW), null, 2).replace('\u202E', '⟨U+202E⟩'));
  });
});

describe('panel boundary', () => {
  it('keeps a failing panel to itself and can mount it again', () => {
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    let fail = true;
    function Flaky() {
      if (fail) throw new Error('bad state');
      return <p>recovered</p>;
    }
    render(
      <>
        <PanelBoundary name="Flaky">
          <Flaky />
        </PanelBoundary>
        <p>neighbour</p>
      </>,
    );
    expect(screen.getByRole('alert').textContent).toContain('bad state');
    expect(screen.getByText('neighbour')).toBeTruthy();
    fail = false;
    fireEvent.click(screen.getByRole('button', { name: 'Reload the panel' }));
    expect(screen.getByText('recovered')).toBeTruthy();
    quiet.mockRestore();
  });
});
