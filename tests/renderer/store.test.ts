import { describe, expect, it } from 'vitest';
import { createAppStore } from '../../renderer/store';
import { DEFAULT_COLUMNS } from '../../renderer/store/tableSlice';
import type { ImportProgress, ImportReport } from '../../shared/domain';

const progress = (importId: string, records: number): ImportProgress => ({ importId, filesDone: 1, filesSeen: 2, records, rejects: 0, bytesRead: 100, elapsedMs: 10, phase: 'reading' });
const report: ImportReport = { files: { seen: 1, imported: 1, skipped: [] }, records: { seen: 3, imported: 3, duplicates: 0, rejected: 0, syntheticIds: 0 }, rejects: [], timeRange: { first: null, last: null }, elapsedMs: 5, cancelled: false };

describe('app store', () => {
  it('gives each test a fresh store with the defaults', () => {
    const a = createAppStore();
    a.getState().include('eventName', 'X');
    const b = createAppStore();
    expect(b.getState().clauses).toEqual([]);
    expect(b.getState().sort).toEqual({ field: 'eventTimeMs', dir: 'asc' });
    expect(b.getState().columns).toEqual(DEFAULT_COLUMNS);
    expect(b.getState().theme).toBe('light');
    expect(createAppStore({ theme: 'dark' }).getState().theme).toBe('dark');
  });

  it('filter slice: include, exclude, only, range and clear', () => {
    const s = createAppStore();
    const st = () => s.getState();
    st().include('eventName', 'A');
    st().include('eventName', 'B');
    st().exclude('awsRegion', 'us-east-1');
    expect(st().clauses.map((c) => [c.field, c.values, c.negate])).toEqual([
      ['eventName', ['A', 'B'], false],
      ['awsRegion', ['us-east-1'], true],
    ]);
    st().setRange({ fromMs: 5, toMs: 5 });
    expect(st().range).toBeNull();
    st().setRange({ fromMs: 5, toMs: 9 });
    st().setText('root');
    st().only('userIdentity_userName', 'bob');
    expect(st().clauses.map((c) => [c.field, c.values])).toEqual([['userIdentity_userName', ['bob']]]);
    expect(st().range).toEqual({ fromMs: 5, toMs: 9 });
    st().clearFilter();
    expect([st().clauses, st().text, st().range]).toEqual([[], '', null]);
  });

  it('pivot on an identity asks the correlation panel; on other fields shows the events', () => {
    const s = createAppStore({ tab: 'sources' });
    s.getState().pivot('eventName', 'ConsoleLogin');
    expect(s.getState().tab).toBe('events');
    expect(s.getState().correlationTarget).toBeNull();
    s.getState().pivot('userIdentity_accessKeyId', 'ASIAX');
    expect(s.getState().tab).toBe('correlation');
    expect(s.getState().correlationTarget).toEqual({ kind: 'accessKey', value: 'ASIAX' });
    expect(s.getState().clauses.map((c) => [c.field, c.values])).toEqual([['userIdentity_accessKeyId', ['ASIAX']]]);
  });

  it('timeline slice zooms around a centre and resets', () => {
    const s = createAppStore();
    s.getState().zoom({ fromMs: 0, toMs: 100_000 }, 0.5, 0);
    expect(s.getState().view).toEqual({ fromMs: 0, toMs: 50_000 });
    s.getState().setView(null);
    expect(s.getState().view).toBeNull();
    s.getState().setStackBy('readOnly');
    expect(s.getState().stackBy).toBe('readOnly');
  });

  it('table slice chooses, orders and pins columns within bounds', () => {
    const s = createAppStore({ columns: ['eventTime', 'eventName', 'awsRegion'], pinned: 1 });
    const st = () => s.getState();
    st().moveColumn('awsRegion', -1);
    expect(st().columns).toEqual(['eventTime', 'awsRegion', 'eventName']);
    st().moveColumn('eventTime', -1);
    expect(st().columns).toEqual(['eventTime', 'awsRegion', 'eventName']);
    st().setPinned(9);
    expect(st().pinned).toBe(3);
    st().toggleColumn('eventName');
    expect([st().columns, st().pinned]).toEqual([['eventTime', 'awsRegion'], 2]);
    st().toggleColumn('userAgent');
    expect(st().columns).toEqual(['eventTime', 'awsRegion', 'userAgent']);
    st().setPinned(-3);
    expect(st().pinned).toBe(0);
    st().setWidth('awsRegion', 10);
    st().setWidth('userAgent', 333.4);
    st().setWidth('eventName', 1e6);
    expect(st().widths).toEqual({ awsRegion: 48, userAgent: 333, eventName: 1200 });
  });

  it('selection slice opens and closes the detail only with a selection', () => {
    const s = createAppStore();
    s.getState().openDetail();
    expect(s.getState().detailOpen).toBe(false);
    s.getState().select(42, 3);
    expect(s.getState()).toMatchObject({ selected: { rowId: 42, index: 3 }, detailOpen: false });
    s.getState().openDetail();
    expect(s.getState().detailOpen).toBe(true);
    s.getState().select(43, 4);
    expect(s.getState().detailOpen).toBe(true);
    s.getState().closeDetail();
    s.getState().select(44, 5, true);
    expect(s.getState().detailOpen).toBe(true);
    s.getState().clearSelection();
    expect(s.getState().selected).toBeNull();
  });

  it('import slice follows pushes and bumps the data version when an import ends', () => {
    const s = createAppStore();
    s.getState().importStarted('i1');
    s.getState().importProgress(progress('i1', 10));
    expect(s.getState().importRun).toEqual({ importId: 'i1', progress: progress('i1', 10), report: null });
    s.getState().importProgress(progress('other', 3));
    expect(s.getState().importRun?.importId).toBe('other');
    s.getState().importDone('other', report);
    expect(s.getState().importRun?.report).toEqual(report);
    expect(s.getState().dataVersion).toBe(1);
    s.getState().dataChanged();
    expect(s.getState().dataVersion).toBe(2);
  });
});
