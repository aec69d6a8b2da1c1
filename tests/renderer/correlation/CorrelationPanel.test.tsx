// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiName, EntitySummary, Result } from '../../../shared/api';
import type { Correlation } from '../../../shared/correlation';
import { CorrelationPanel } from '../../../renderer/panels/correlation/CorrelationPanel';
import { createAppStore, type AppStore } from '../../../renderer/store';
import { StoreProvider } from '../../../renderer/store/context';

const call = vi.hoisted(() => vi.fn());
vi.mock('../../../renderer/api', () => ({ call, onPush: () => () => undefined }));

const HOSTILE = '<img src=x onerror=window.__pwned=1>';
const ALICE = 'arn:aws:iam::111111111111:user/alice';

const CHAIN: Correlation = {
  roots: [{ actor: ALICE, kind: 'IAMUser' }],
  sessions: [
    { id: 1, accessKey: 'ASIAHOP1', issueCall: 'AssumeRole', issuedAt: '2025-06-01T10:00:00.000Z', issuerArn: ALICE, issuerKey: 'AKIAALICE', parentId: null, depth: 0, rootActor: ALICE, rootKind: 'IAMUser', roleArn: 'arn:aws:iam::111111111111:role/Hop', sessionName: HOSTILE, principalArn: `arn:aws:sts::111111111111:assumed-role/Hop/${HOSTILE}`, sourceIp: '203.0.113.9', userAgent: HOSTILE, events: 3, firstSeen: '2025-06-01T10:00:00.000Z', lastSeen: '2025-06-01T10:05:00.000Z', accounts: ['111111111111'], regions: ['us-east-1'] },
  ],
  created: [],
  accessKeys: ['AKIAALICE', 'ASIAHOP1'],
  accounts: ['111111111111'],
  ips: ['203.0.113.9'],
  eventNames: [{ name: 'ListBuckets', count: 3 }],
  events: 3,
  firsts: { ip: [{ value: '203.0.113.9', first: '2025-06-01T10:00:00.000Z', events: 3 }], userAgent: [{ value: HOSTILE, first: '2025-06-01T10:00:00.000Z', events: 3 }], region: [], eventName: [] },
};

const SUMMARY: EntitySummary = { kind: 'accessKey', value: 'ASIAHOP1', events: 3, firstMs: Date.UTC(2025, 5, 1, 10), lastMs: Date.UTC(2025, 5, 1, 10, 5), eventNames: [{ value: 'ListBuckets', count: 3 }], related: [{ kind: 'ip', values: [{ value: '203.0.113.9', count: 3 }] }, { kind: 'userAgent', values: [{ value: HOSTILE, count: 3 }] }] };

function answers(over: Partial<Record<ApiName, () => Promise<Result<unknown>>>> = {}): void {
  const base: Partial<Record<ApiName, () => Promise<Result<unknown>>>> = {
    'correlate:chain': async () => ({ ok: true, value: CHAIN }),
    'correlate:entity': async () => ({ ok: true, value: SUMMARY }),
    'timeline:buckets': async () => ({ ok: true, value: { series: ['success', 'error'], buckets: [{ t: Date.UTC(2025, 5, 1, 10), counts: [2, 1] }], elapsedMs: 1 } }),
    'events:page': async () => ({ ok: true, value: { rows: [], total: 0, elapsedMs: 1 } }),
  };
  call.mockImplementation((name: ApiName) => (over[name] ?? base[name] ?? (async () => ({ ok: false, error: { code: 'unsupported', message: name } })))());
}

let store: AppStore;
beforeEach(() => {
  store = createAppStore();
  call.mockReset();
});
afterEach(cleanup);

function show(): void {
  render(
    <StoreProvider store={store}>
      <CorrelationPanel />
    </StoreProvider>,
  );
}

describe('the correlation panel', () => {
  it('says nothing is selected before a pivot', () => {
    answers();
    show();
    expect(screen.getByText('Nothing selected')).toBeTruthy();
    expect(call).not.toHaveBeenCalled();
  });

  it('shows loading, then the error with a retry, then the chain', async () => {
    let fail = true;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    answers({
      'correlate:chain': async () => {
        await gate;
        return fail ? { ok: false, error: { code: 'internal', message: 'the engine stopped' } } : { ok: true, value: CHAIN };
      },
    });
    act(() => store.getState().onPivot('accessKey', 'ASIAHOP1'));
    show();
    expect(screen.getByText('Following the chain…')).toBeTruthy();
    await act(async () => release());
    await screen.findByText('the engine stopped');
    fail = false;
    fireEvent.click(screen.getAllByRole('button', { name: 'Retry' })[0] as HTMLElement);
    await screen.findByTestId('chain-graph');
    expect(call).toHaveBeenCalledWith('correlate:chain', { by: { accessKey: 'ASIAHOP1' } });
    expect(call).toHaveBeenCalledWith('correlate:entity', expect.objectContaining({ kind: 'accessKey', value: 'ASIAHOP1' }));
  });

  it('draws the chain with the calls on its edges and hostile values as text', async () => {
    answers();
    act(() => store.getState().onPivot('accessKey', 'ASIAHOP1'));
    show();
    const graph = await screen.findByTestId('chain-graph');
    const edgeLabels = [...graph.querySelectorAll('.chain-edge-label')].map((t) => t.textContent);
    expect(edgeLabels).toEqual(expect.arrayContaining(['signs with', 'AssumeRole', 'as', 'in']));
    expect(graph.querySelector('[data-node-id="session:1"]')?.classList.contains('asked')).toBe(true);
    fireEvent.click(graph.querySelector('[data-node-id="session:1"]') as Element);
    const details = await screen.findByTestId('node-details');
    expect(details.textContent).toContain(HOSTILE);
    expect(details.textContent).toContain('203.0.113.9');
    expect(document.querySelectorAll('img').length).toBe(0);
    expect(screen.getByTestId('chain-roots').textContent).toBe('user/alice (IAMUser)');
    await screen.findByTestId('entity-histogram');
    expect(screen.getByTestId('firsts').textContent).toContain(HOSTILE);
  });

  it('shows all the chain\'s events: one clause with every key, on the Events tab', async () => {
    answers();
    act(() => store.getState().onPivot('accessKey', 'ASIAHOP1'));
    show();
    await screen.findByTestId('chain-graph');
    fireEvent.click(screen.getByRole('button', { name: /Show all events of this actor/ }));
    const s = store.getState();
    expect(s.tab).toBe('events');
    expect(s.clauses.map((c) => [c.field, c.values, c.negate])).toEqual([['userIdentity_accessKeyId', ['AKIAALICE', 'ASIAHOP1'], false]]);
  });

  it('draws at most 150 sessions of a huge chain and says how many more there are', async () => {
    const base = CHAIN.sessions[0];
    if (!base) throw new Error('no session');
    const many = Array.from({ length: 400 }, (_, i) => ({ ...base, id: i + 1, accessKey: `ASIAMANY${i}`, sessionName: `s${i}` }));
    answers({ 'correlate:chain': async () => ({ ok: true, value: { ...CHAIN, sessions: many } }) });
    act(() => store.getState().onPivot('principal', ALICE));
    show();
    const graph = await screen.findByTestId('chain-graph');
    expect(graph.querySelectorAll('.chain-node.kind-session')).toHaveLength(150);
    expect(screen.getByText(/250 more are in the chain/)).toBeTruthy();
  });

  it('follows what is typed in the search box, a session by its id', async () => {
    answers();
    show();
    fireEvent.change(screen.getByTestId('corr-search'), { target: { value: '1' } });
    fireEvent.submit(screen.getByRole('search'));
    await screen.findByTestId('chain-graph');
    expect(call).toHaveBeenCalledWith('correlate:chain', { by: { session: 1 } });
    // A session has no entity summary of its own; its key's timeline spans all its events.
    expect(call).not.toHaveBeenCalledWith('correlate:entity', expect.objectContaining({ value: '1' }));
    await waitFor(() => expect(call).toHaveBeenCalledWith('correlate:entity', { kind: 'accessKey', value: 'ASIAHOP1', filter: { clauses: [] } }));
    fireEvent.change(screen.getByTestId('corr-search'), { target: { value: 'not a thing' } });
    fireEvent.submit(screen.getByRole('search'));
    expect(screen.getByRole('alert').textContent).toMatch(/Not recognised/);
    fireEvent.change(screen.getByTestId('corr-search'), { target: { value: '203.0.113.9' } });
    fireEvent.submit(screen.getByRole('search'));
    expect(store.getState().correlationTarget).toEqual({ kind: 'ip', value: '203.0.113.9' });
    await waitFor(() => expect(call).toHaveBeenCalledWith('correlate:chain', { by: { ip: '203.0.113.9' } }));
  });
});
