// @vitest-environment jsdom
import { act, renderHook, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ApiResponse, Result } from '../../shared/api';
import type { EventRow } from '../../shared/domain';
import { useKeyedFetch } from '../../renderer/hooks/useKeyedFetch';
import { PAGE_SIZE } from '../../renderer/panels/events/pages';
import { useEventPages } from '../../renderer/panels/events/useEventPages';

/** A promise the test resolves when it wants: answers arriving out of order. */
function deferred<T>() {
  let resolve: (v: T) => void = () => undefined;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('keyed fetch', () => {
  it('lets the latest key win and keeps the old data, marked stale, while the next loads', async () => {
    const answers = new Map<string, ReturnType<typeof deferred<Result<string>>>>();
    const { result, rerender } = renderHook(({ k }: { k: string }) => useKeyedFetch(k, () => {
      const d = deferred<Result<string>>();
      answers.set(k, d);
      return d.promise;
    }), { initialProps: { k: 'a' } });
    expect(result.current).toMatchObject({ data: null, loading: true });
    await act(async () => answers.get('a')?.resolve({ ok: true, value: 'A' }));
    expect(result.current).toMatchObject({ data: 'A', loading: false, stale: false });

    rerender({ k: 'b' });
    rerender({ k: 'c' });
    expect(result.current).toMatchObject({ data: 'A', loading: true, stale: true });
    await act(async () => answers.get('c')?.resolve({ ok: true, value: 'C' }));
    await act(async () => answers.get('b')?.resolve({ ok: true, value: 'B (late)' }));
    expect(result.current).toMatchObject({ data: 'C', stale: false });
  });

  it('reports errors and retries', async () => {
    let calls = 0;
    const { result } = renderHook(() => useKeyedFetch('k', async (): Promise<Result<number>> => (++calls === 1 ? { ok: false, error: { code: 'busy', message: 'later' } } : { ok: true, value: calls })));
    await waitFor(() => expect(result.current.error?.code).toBe('busy'));
    act(() => result.current.retry());
    await waitFor(() => expect(result.current.data).toBe(2));
    expect(result.current.error).toBeNull();
  });

  it('fetches nothing for a null key', () => {
    let calls = 0;
    const { result } = renderHook(() => useKeyedFetch<number>(null, async () => ({ ok: true, value: ++calls })));
    expect([result.current.data, result.current.loading, calls]).toEqual([null, false, 0]);
  });
});

const row = (rowId: number): EventRow => ({ rowId, eventTimeMs: rowId, eventID: `e${rowId}`, eventName: null, eventSource: null, eventType: null, awsRegion: null, sourceIPAddress: null, userAgent: null, errorCode: null, errorMessage: null, readOnly: null, recipientAccountId: null, userIdentity_type: null, userIdentity_arn: null, userIdentity_userName: null, userIdentity_accessKeyId: null, userIdentity_accountId: null, sessionIssuer_arn: null, sourceIdentity: null, source_file: null, source_index: null });

describe('event pages', () => {
  it('loads the first page, then pages around what is visible, once each', async () => {
    const asked: number[] = [];
    const fetchPage = async (offset: number, limit: number): Promise<Result<ApiResponse<'events:page'>>> => {
      asked.push(offset);
      return { ok: true, value: { rows: Array.from({ length: Math.min(limit, 1000 - offset) }, (_, i) => row(offset + i)), total: 1000, elapsedMs: 1 } };
    };
    const { result } = renderHook(() => useEventPages('k1', fetchPage));
    await waitFor(() => expect(result.current.total).toBe(1000));
    expect(result.current.row(5)?.rowId).toBe(5);
    act(() => result.current.ensure(PAGE_SIZE * 2 + 10, PAGE_SIZE * 3 + 10));
    act(() => result.current.ensure(PAGE_SIZE * 2 + 10, PAGE_SIZE * 3 + 10));
    await waitFor(() => expect(result.current.row(PAGE_SIZE * 3 + 1)?.rowId).toBe(PAGE_SIZE * 3 + 1));
    expect([...asked].sort((a, b) => a - b)).toEqual([0, PAGE_SIZE * 2, PAGE_SIZE * 3]);
    expect(result.current.row(PAGE_SIZE + 1)).toBeUndefined();
  });

  it('keeps the previous rows, stale, until the new key answers', async () => {
    const gate = deferred<void>();
    const fetchFor = (key: string) => async (): Promise<Result<ApiResponse<'events:page'>>> => {
      if (key === 'k2') await gate.promise;
      return { ok: true, value: { rows: [row(key === 'k1' ? 1 : 2)], total: 1, elapsedMs: 1 } };
    };
    const { result, rerender } = renderHook(({ k }: { k: string }) => useEventPages(k, fetchFor(k)), { initialProps: { k: 'k1' } });
    await waitFor(() => expect(result.current.row(0)?.rowId).toBe(1));
    rerender({ k: 'k2' });
    expect([result.current.stale, result.current.row(0)?.rowId]).toEqual([true, 1]);
    await act(async () => gate.resolve());
    await waitFor(() => expect(result.current.row(0)?.rowId).toBe(2));
    expect(result.current.stale).toBe(false);
  });
});
