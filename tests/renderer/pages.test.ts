import { describe, expect, it } from 'vitest';
import { keyTarget } from '../../renderer/panels/events/useTableNavigation';
import { PAGE_SIZE, pagesFor, rangeText, slideWindow, windowFor, WINDOW_ROWS, WINDOW_STEP } from '../../renderer/panels/events/pages';
import { mergePage } from '../../renderer/panels/events/useEventPages';
import { cellFilterValue, cellText, pinnedOffsets, columnDef } from '../../renderer/panels/events/columns';
import { parsePrefs } from '../../renderer/prefs';
import { compactValue, formatBytes, formatUtc, reveal, shorten } from '../../renderer/format';
import type { EventRow } from '../../shared/domain';

const row = (rowId: number): EventRow => ({ rowId, eventTimeMs: Date.UTC(2024, 0, 1, 0, 0, 1, 5), eventID: `e${rowId}`, eventName: 'GetObject', eventSource: null, eventType: null, awsRegion: null, sourceIPAddress: null, userAgent: null, errorCode: null, errorMessage: null, readOnly: 1, recipientAccountId: null, userIdentity_type: null, userIdentity_arn: null, userIdentity_userName: null, userIdentity_accessKeyId: null, userIdentity_accountId: null, sessionIssuer_arn: null, sourceIdentity: null, source_file: null, source_index: null });

describe('table paging', () => {
  it('lists the pages that cover visible rows, within the total', () => {
    expect(pagesFor(0, 10, null)).toEqual([0]);
    expect(pagesFor(PAGE_SIZE - 1, PAGE_SIZE + 1, null)).toEqual([0, 1]);
    expect(pagesFor(0, 5 * PAGE_SIZE, 250)).toEqual([0, 1]);
    expect(pagesFor(5, 4, null)).toEqual([]);
  });

  it('says which rows are on screen', () => {
    expect(rangeText(0, 40, 302)).toBe('1–41 of 302');
    expect(rangeText(0, 40, 12)).toBe('1–12 of 12');
    expect(rangeText(0, -1, 0)).toBe('0 of 0');
    expect(rangeText(999, 1040, 1_000_000)).toBe('1,000–1,041 of 1,000,000');
  });

  it('merges pages of one key and starts over for a new key', () => {
    const empty = { key: null, pages: new Map(), total: null, elapsedMs: null, error: null };
    const a = mergePage(empty, 'k1', 0, { ok: true, value: { rows: [row(1)], total: 500, elapsedMs: 3 } });
    const b = mergePage(a, 'k1', 2, { ok: true, value: { rows: [row(3)], total: 500, elapsedMs: 4 } });
    expect([...b.pages.keys()]).toEqual([0, 2]);
    const c = mergePage(b, 'k2', 0, { ok: true, value: { rows: [row(9)], total: 1, elapsedMs: 1 } });
    expect([c.key, [...c.pages.keys()], c.total]).toEqual(['k2', [0], 1]);
    const d = mergePage(c, 'k2', 1, { ok: false, error: { code: 'busy', message: 'x' } });
    expect([d.error?.code, d.pages.size]).toEqual(['busy', 1]);
    const e = mergePage(c, 'k3', 0, { ok: false, error: { code: 'busy', message: 'x' } });
    expect([e.key, e.pages.size, e.total]).toEqual(['k3', 0, null]);
  });
});

describe('columns', () => {
  it('render cells as text and give the value a filter would use', () => {
    const r = row(1);
    expect(cellText(r, 'eventTime')).toBe('2024-01-01 00:00:01.005');
    expect(cellText(r, 'readOnly')).toBe('true');
    expect(cellText(r, 'awsRegion')).toBe('');
    expect(cellFilterValue(r, 'readOnly')).toBe('true');
    expect(cellFilterValue(r, 'awsRegion')).toBeNull();
  });

  it('pin the first columns at their running offsets', () => {
    const w0 = columnDef('eventTime').width;
    expect(pinnedOffsets(['eventTime', 'eventName', 'awsRegion'], 2)).toEqual([0, w0]);
    expect(pinnedOffsets(['eventTime'], 5)).toEqual([0]);
    expect(pinnedOffsets(['eventTime', 'eventName', 'awsRegion'], 3, { eventTime: 100, eventName: 50 })).toEqual([0, 100, 150]);
  });
});

describe('preferences', () => {
  it('keep only valid values', () => {
    expect(parsePrefs(null)).toEqual({});
    expect(parsePrefs('{')).toEqual({});
    expect(parsePrefs(JSON.stringify({ theme: 'dark', density: 'huge', stackBy: 'readOnly', columns: ['eventName', 'nope', 'eventName', 'awsRegion'], pinned: 5 }))).toEqual({ theme: 'dark', stackBy: 'readOnly', columns: ['eventName', 'awsRegion'], pinned: 2 });
    expect(parsePrefs(JSON.stringify({ theme: '<script>', pinned: -1 }))).toEqual({});
    expect(parsePrefs(JSON.stringify({ widths: { awsRegion: 200.4, eventName: 5, nope: 100, userAgent: 'x' } }))).toEqual({ widths: { awsRegion: 200 } });
  });
});

describe('formatting', () => {
  it('shows UTC, sizes and shortened values', () => {
    expect(formatUtc(Date.UTC(2024, 1, 29, 23, 59, 59))).toBe('2024-02-29 23:59:59');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(10)).toBe('10 B');
    const arn = 'arn:aws:iam::111122223333:user/mallory';
    const s = shorten(arn, 24);
    expect(s).toHaveLength(24);
    expect(s.endsWith('user/mallory')).toBe(true);
    expect(shorten('short', 24)).toBe('short');
    expect(compactValue('arn:aws:iam::966025526269:user/backup-agent', 38)).toBe('iam::966025526269:user/backup-agent');
    const role = compactValue('arn:aws:sts::966025526269:assumed-role/Config-Describe/i-0abc123def', 28);
    expect([role.length, role.startsWith('sts::9660'), role.endsWith('i-0abc123def')]).toEqual([28, true, true]);
    expect(compactValue('arn:aws:iam::1:root', 28)).toBe('iam::1:root');
    expect(compactValue('GetObject', 28)).toBe('GetObject');
  });

  it('shows invisible and direction-changing characters as code points', () => {
    expect(reveal('invoice\u202Efdp.exe')).toBe('invoice⟨U+202E⟩fdp.exe');
    expect(reveal('ad\u200Bmin\u0000\u2066x\uFEFF')).toBe('ad⟨U+200B⟩min⟨U+0000⟩⟨U+2066⟩x⟨U+FEFF⟩');
    expect(reveal('plain ascii, tab\tand é ü 日本')).toBe('plain ascii, tab\tand é ü 日本');
    expect(reveal('a\u0085b')).toBe('a⟨U+0085⟩b');
  });
});

describe('row window', () => {
  it('slides forward near the end and back near the start, never past the result', () => {
    const total = 1_000_000;
    expect(slideWindow(0, total, 100, 150)).toBe(0);
    expect(slideWindow(0, total, WINDOW_ROWS - 100, WINDOW_ROWS - 50)).toBe(WINDOW_STEP);
    expect(slideWindow(total - WINDOW_ROWS, total, WINDOW_ROWS - 40, WINDOW_ROWS - 1)).toBe(total - WINDOW_ROWS);
    expect(slideWindow(WINDOW_STEP, total, 10, 50)).toBe(0);
    expect(slideWindow(0, 500, 400, 499)).toBe(0);
  });

  it('jumps to a window that holds a row', () => {
    expect(windowFor(0, 10, 1_000_000)).toBe(0);
    expect(windowFor(0, 999_999, 1_000_000)).toBe(1_000_000 - WINDOW_ROWS);
    expect(windowFor(0, 500_000, 1_000_000)).toBe(500_000 - WINDOW_ROWS / 2);
    expect(windowFor(300_000, 10, 1_000_000)).toBe(0);
  });
});

describe('table keys', () => {
  it('move the selection within the result', () => {
    expect(keyTarget('ArrowDown', -1, 30, 100)).toBe(0);
    expect(keyTarget('ArrowDown', 99, 30, 100)).toBe(99);
    expect(keyTarget('ArrowUp', 0, 30, 100)).toBe(0);
    expect(keyTarget('PageDown', 10, 30, 100)).toBe(40);
    expect(keyTarget('End', 3, 30, 1_000_000)).toBe(999_999);
    expect(keyTarget('Home', 500, 30, 1000)).toBe(0);
    expect(keyTarget('x', 5, 30, 100)).toBeNull();
    expect(keyTarget('ArrowDown', -1, 30, 0)).toBeNull();
  });
});
