import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumMissing, detailSettled, readCspViolations, recordCspViolations, screenshot, startApp, watchPage, type App } from './harness';
import { HOSTILE, writeFixture, type Fixture } from './fixture';

const skip = chromiumMissing();
if (skip) console.warn(skip);

/** Pixels of the histogram that differ from its background: > 0 means bars were drawn. */
async function drawnPixels(page: Page): Promise<number> {
  return page.locator('[data-testid=histogram]').evaluate((c: HTMLCanvasElement) => {
    const ctx = c.getContext('2d');
    if (!ctx) return 0;
    const { data } = ctx.getImageData(0, 0, c.width, Math.floor(c.height * 0.8));
    let n = 0;
    for (let i = 0; i < data.length; i += 4) if (Math.abs((data[i] ?? 0) - (data[0] ?? 0)) + Math.abs((data[i + 2] ?? 0) - (data[2] ?? 0)) > 60) n++;
    return n;
  });
}

/** Waits until the histogram shows data for the current view (not the dimmed previous one). */
async function histogramSettled(page: Page): Promise<void> {
  await page.locator('[data-testid=histogram][data-stale=false]').waitFor();
}

async function countText(page: Page): Promise<string> {
  return (await page.locator('[data-testid=events-count]').textContent()) ?? '';
}

function total(text: string): number {
  const m = /of ([\d,]+)/.exec(text);
  return m?.[1] ? Number(m[1].replaceAll(',', '')) : -1;
}

describe.skipIf(skip !== null)('the renderer in Chromium (web mode)', () => {
  let app: App;
  let page: Page;
  let fixture: Fixture;
  let watch: ReturnType<typeof watchPage>;

  beforeAll(async () => {
    fixture = writeFixture();
    app = await startApp();
    page = await app.context.newPage();
    page.setDefaultTimeout(10_000);
    watch = watchPage(page);
    await recordCspViolations(page);
    await page.goto(app.url);
    await page.locator('.topbar').waitFor();
  });

  afterAll(async () => {
    await app?.close();
  });

  it('imports a bundle through the path field and lists its sources', async () => {
    await page.getByTestId('welcome').waitFor();
    await screenshot(page, '01-empty-case');
    await page.getByRole('tab', { name: 'Sources' }).click();
    await page.getByTestId('import-paths').fill(fixture.dir);
    await page.getByTestId('sources-panel').getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByTestId('import-done').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('import-done').textContent()).toMatch(/Import finished/);
    await page.getByTestId('sources-table').waitFor();
    expect(await page.getByTestId('sources-table').locator('tbody tr').count()).toBeGreaterThanOrEqual(4);
    await screenshot(page, '02-sources');
  });

  it('draws the histogram and counts the rows', async () => {
    await page.getByRole('tab', { name: 'Events' }).click();
    await expect.poll(async () => total(await countText(page)), { timeout: 15_000 }).toBe(fixture.events);
    await expect.poll(() => drawnPixels(page), { timeout: 10_000 }).toBeGreaterThan(200);
    expect(await page.locator('[role=row][aria-rowindex]').count()).toBeLessThan(120);
    await histogramSettled(page);
    await screenshot(page, '03-events-light');
    await page.getByRole('button', { name: 'Toggle theme' }).click();
    await expect.poll(() => drawnPixels(page)).toBeGreaterThan(200);
    await screenshot(page, '04-events-dark');
    await page.getByRole('button', { name: 'Toggle theme' }).click();
  });

  it('filters from a sidebar value and every count follows', async () => {
    const facet = page.locator('[data-field=userIdentity_userName] .facet-value-main').first();
    const valueCount = Number(((await facet.locator('.facet-count').textContent()) ?? '').replaceAll(',', ''));
    const ipCountsBefore = await page.locator('[data-field=sourceIPAddress] .facet-count').allTextContents();
    await facet.click();
    await expect.poll(async () => total(await countText(page))).toBe(valueCount);
    await expect.poll(() => page.locator('[data-field=sourceIPAddress] .facet-count').allTextContents()).not.toEqual(ipCountsBefore);
    expect(await page.getByTestId('pill').count()).toBe(1);
    await histogramSettled(page);
    await screenshot(page, '05-filtered');
    await page.getByRole('button', { name: 'Clear all' }).click();
    await expect.poll(async () => total(await countText(page))).toBe(fixture.events);
    // Alt-click on a table cell excludes its value.
    const cell = page.locator('[role=row][aria-rowindex="1"] [role=gridcell]').nth(3);
    const user = (await cell.textContent()) ?? '';
    await cell.click({ modifiers: ['Alt'] });
    await expect.poll(() => page.getByTestId('pill').textContent()).toContain(`is not${user}`);
    await expect.poll(async () => total(await countText(page))).toBeLessThan(fixture.events);
    await page.getByRole('button', { name: 'Clear all' }).click();
    await expect.poll(async () => total(await countText(page))).toBe(fixture.events);
  });

  it('brushes a time range on the histogram', async () => {
    const box = await page.getByTestId('histogram').boundingBox();
    if (!box) throw new Error('no histogram');
    await page.mouse.move(box.x + box.width * 0.3, box.y + 40);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.6, box.y + 40, { steps: 5 });
    await page.mouse.up();
    await page.getByTestId('pill-range').waitFor();
    await expect.poll(async () => total(await countText(page))).toBeLessThan(fixture.events);
    const before = await page.getByTestId('timeline-span').textContent();
    await page.getByRole('button', { name: 'Zoom to range' }).click();
    await expect.poll(() => page.getByTestId('timeline-span').textContent()).not.toBe(before);
    await histogramSettled(page);
    await expect.poll(() => drawnPixels(page)).toBeGreaterThan(200);
    await screenshot(page, '11-range');
    await page.getByRole('button', { name: 'Reset' }).click();
    await page.getByRole('button', { name: 'Remove time range' }).click();
    await expect.poll(async () => total(await countText(page))).toBe(fixture.events);
  });

  it('sorts, chooses and pins columns; / focuses the search', async () => {
    await page.getByRole('columnheader', { name: 'Event name' }).click();
    await expect.poll(() => page.getByRole('columnheader', { name: 'Event name' }).getAttribute('aria-sort')).toBe('ascending');
    await expect.poll(() => page.locator('[role=row][aria-rowindex="1"] [role=gridcell]').nth(1).textContent()).toBe('<img src=x onerror=window.__pwned=1>');
    await page.getByRole('button', { name: 'Columns' }).click();
    await page.getByRole('dialog', { name: 'Columns' }).getByLabel('Access key', { exact: true }).check();
    await page.getByRole('columnheader', { name: 'Access key' }).waitFor();
    await page.getByRole('dialog', { name: 'Columns' }).getByLabel('Pinned').fill('2');
    await screenshot(page, '10-columns');
    await page.getByRole('button', { name: 'Done' }).click();
    // Pinned columns stay put when the table scrolls sideways; the others move.
    const name = page.getByRole('columnheader', { name: 'Event name' });
    const source = page.getByRole('columnheader', { name: 'Event source' });
    const [n0, s0] = [(await name.boundingBox())?.x, (await source.boundingBox())?.x];
    await page.getByTestId('events-table').evaluate((el) => el.scrollBy({ left: 300 }));
    await expect.poll(async () => (await source.boundingBox())?.x).toBeLessThan((s0 ?? 0) - 200);
    expect((await name.boundingBox())?.x).toBe(n0);
    await page.getByTestId('events-table').evaluate((el) => el.scrollTo({ left: 0 }));
    const header = page.getByRole('columnheader', { name: 'Event source' });
    const w0 = (await header.boundingBox())?.width ?? 0;
    const handle = await page.getByRole('separator', { name: 'Resize Event source' }).boundingBox();
    if (!handle) throw new Error('no resize handle');
    await page.mouse.move(handle.x + 3, handle.y + 5);
    await page.mouse.down();
    await page.mouse.move(handle.x + 83, handle.y + 5, { steps: 4 });
    await page.mouse.up();
    await expect.poll(async () => Math.round(((await header.boundingBox())?.width ?? 0) - w0)).toBe(80);
    await page.getByRole('columnheader', { name: 'Time (UTC)' }).click();
    await expect.poll(() => page.getByRole('columnheader', { name: 'Time (UTC)' }).getAttribute('aria-sort')).toBe('ascending');
    await page.getByTestId('events-table').press('/');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('type'))).toBe('search');
  });

  it('opens an event in the detail panel', async () => {
    await page.locator('[role=row][aria-rowindex="1"]').click();
    await detailSettled(page);
    expect(await page.getByTestId('detail').locator('[data-path="eventName"]').count()).toBe(1);
    await histogramSettled(page);
    await screenshot(page, '06-detail');
    await page.getByTestId('events-table').press('ArrowDown');
    await expect.poll(() => page.locator('[role=row][aria-selected=true]').getAttribute('aria-rowindex')).toBe('2');
    await page.getByTestId('events-table').press('Escape');
    await expect.poll(() => page.getByTestId('detail').count()).toBe(0);
    // Pivot on an identity: the filter becomes that principal and the correlation panel opens.
    await page.getByTestId('events-table').press('Enter');
    const arn = page.getByTestId('detail').locator('[data-path="userIdentity.arn"]');
    await arn.hover();
    await arn.getByRole('button', { name: 'pivot' }).click();
    await expect.poll(() => page.getByRole('tab', { name: 'Correlation' }).getAttribute('aria-selected')).toBe('true');
    await page.getByRole('tab', { name: 'Events' }).click();
    expect(await page.getByTestId('pill').textContent()).toContain('Principal ARN');
    await page.getByRole('button', { name: 'Clear all' }).click();
  });

  it('shows the same action recorded for another account', async () => {
    await page.getByRole('searchbox').fill('CrossAccountRole');
    await page.getByRole('searchbox').press('Enter');
    await expect.poll(async () => total(await countText(page))).toBe(2);
    await page.locator('[role=row][aria-rowindex="1"]').click();
    const detail = page.getByTestId('detail');
    await detail.getByText('Same action, recorded for another account').waitFor();
    const first = await detail.locator('[data-path="recipientAccountId"] .json-value').textContent();
    await detail.locator('.copy-row').click();
    await expect.poll(() => detail.locator('[data-path="recipientAccountId"] .json-value').textContent()).not.toBe(first);
    await page.getByRole('button', { name: 'Clear all' }).click();
  });

  it('renders a hostile record as literal text', async () => {
    await page.getByRole('searchbox').fill('onerror');
    await page.getByRole('searchbox').press('Enter');
    await expect.poll(async () => total(await countText(page))).toBe(1);
    await page.locator('[role=row][aria-rowindex="1"]').click();
    await detailSettled(page);
    expect(await page.locator('[role=gridcell]', { hasText: HOSTILE }).count()).toBeGreaterThanOrEqual(2);
    expect(await page.getByTestId('detail').getByText(JSON.stringify(HOSTILE)).count()).toBeGreaterThanOrEqual(3);
    // Direction overrides are shown as code points, not obeyed.
    expect(await page.getByTestId('detail').locator('[data-path="requestParameters.key"] .json-value').textContent()).toBe('"invoice⟨U+202E⟩fdp.exe"');
    await screenshot(page, '07-hostile');
    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(await page.locator('img, script:not([src])').count()).toBe(0);
    await page.getByRole('button', { name: 'Clear all' }).click();
  });

  it('exports the filtered events and saves and reopens the case through path fields', async () => {
    const out = path.join(fixture.dir, '..', `${path.basename(fixture.dir)}-out`);
    fs.mkdirSync(out, { recursive: true });
    await page.locator('[data-field=userIdentity_userName] .facet-value-main', { hasText: 'bob' }).click();
    await expect.poll(async () => total(await countText(page))).toBe(80);
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    await page.getByRole('dialog', { name: 'Export events' }).getByRole('textbox').fill(path.join(out, 'bob.csv'));
    await page.getByRole('dialog', { name: 'Export events' }).getByRole('button', { name: 'Export', exact: true }).click();
    await page.getByText(/Wrote 80 events/).waitFor();
    expect(fs.readFileSync(path.join(out, 'bob.csv'), 'utf8').trim().split('\n')).toHaveLength(81);
    await page.getByRole('button', { name: 'Close export' }).click();
    await page.getByRole('button', { name: 'Clear all' }).click();

    await page.getByRole('tab', { name: 'Sources' }).click();
    const casePath = path.join(out, 'e2e.cairn');
    await page.getByTestId('case-save-path').fill(casePath);
    await page.getByRole('button', { name: 'Save case' }).click();
    await page.getByText(/^Saved /).waitFor();
    expect(fs.statSync(casePath).size).toBeGreaterThan(0);
    await expect.poll(() => page.locator('.case-name').textContent()).toBe('e2e.cairn');
    await page.getByRole('button', { name: 'New empty case' }).click();
    await expect.poll(() => page.locator('.case-count').textContent()).toBe('0 events');
    await page.getByTestId('case-open-path').fill(casePath);
    await page.getByRole('button', { name: 'Open case' }).click();
    await expect.poll(() => page.locator('.case-count').textContent()).toBe(`${fixture.events} events`);
    await page.getByRole('tab', { name: 'Events' }).click();
    await expect.poll(async () => total(await countText(page))).toBe(fixture.events);
  });

  it('shows the other panels', async () => {
    for (const [tab, name] of [['Query', '08-query'], ['Correlation', '09-correlation']] as const) {
      await page.getByRole('tab', { name: tab }).click();
      // The panels are loaded on demand: wait until their chunk has rendered.
      await expect.poll(() => page.locator('.main .state-loading').count(), { timeout: 10_000 }).toBe(0);
      await page.waitForTimeout(300);
      await screenshot(page, name);
    }
    await page.getByRole('tab', { name: 'Events' }).click();
  });

  it('made no request off its origin, broke no CSP rule and logged no errors', async () => {
    expect(await readCspViolations(page)).toEqual([]);
    expect(watch.requests.length).toBeGreaterThan(0);
    expect(watch.requests.filter((u) => !u.startsWith(`${app.origin}/`))).toEqual([]);
    const host = new URL(app.origin).host;
    expect(watch.sockets.length).toBeGreaterThan(0);
    expect(watch.sockets.filter((u) => !u.startsWith(`ws://${host}/`))).toEqual([]);
    expect(watch.problems).toEqual([]);
  });
});
