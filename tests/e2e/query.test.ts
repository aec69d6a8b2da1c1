/**
 * The query panel in Chromium (web mode): CodeMirror under the page's strict CSP, Ctrl+Enter, rows
 * and time, inline errors, completion, starters on a real import, history, CSV export, hostile text.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumMissing, readCspViolations, recordCspViolations, screenshot, startApp, watchPage, type App } from './harness';
import { HOSTILE, writeFixture, type Fixture } from './fixture';

const skip = chromiumMissing();
if (skip) console.warn(skip);

/** Replaces the editor's text (insertText: no completion can swallow a newline) and runs it. */
async function runSql(page: Page, sql: string): Promise<void> {
  await page.locator('.cm-content').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(sql);
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+Enter');
}

async function status(page: Page): Promise<string> {
  return (await page.getByTestId('query-status').textContent()) ?? '';
}


describe.skipIf(skip !== null)('the query panel in Chromium', () => {
  let app: App;
  let page: Page;
  let fixture: Fixture;
  let watch: ReturnType<typeof watchPage>;

  beforeAll(async () => {
    fixture = writeFixture();
    app = await startApp();
    page = await app.context.newPage();
    watch = watchPage(page);
    await recordCspViolations(page);
    await page.goto(app.url);
    await page.getByRole('tab', { name: 'Sources' }).click();
    await page.getByTestId('import-paths').fill(fixture.dir);
    await page.getByTestId('sources-panel').getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByTestId('import-done').waitFor({ timeout: 30_000 });
    await page.getByRole('tab', { name: 'Query' }).click();
    await page.locator('.cm-content').waitFor();
  });

  afterAll(async () => {
    await app?.close();
  });

  it('runs a query with Ctrl+Enter and shows rows, count and time', async () => {
    await runSql(page, 'SELECT eventName, count(*) AS n FROM events GROUP BY eventName ORDER BY n DESC');
    // CodeMirror's own styles applied (constructable stylesheets in its shadow root) and keywords highlighted.
    expect(await page.locator('.cm-editor').evaluate((el) => getComputedStyle(el).display)).toBe('flex');
    const keywordWeights = await page.locator('.cm-content').evaluate((el) => [...el.querySelectorAll('span')].filter((s) => s.textContent === 'SELECT').map((s) => getComputedStyle(s).fontWeight));
    expect(keywordWeights).toEqual(['600']);
    await expect.poll(() => status(page), { timeout: 15_000 }).toMatch(/^\d+ rows in [\d.]+ ms$/);
    const rows = page.getByTestId('result-grid').locator('[role=row][aria-rowindex]');
    expect(await rows.count()).toBeGreaterThan(3);
    const total = (await page.getByTestId('result-grid').locator('.rc.is-num').allTextContents()).reduce((a, b) => a + Number(b), 0);
    expect(total).toBe(fixture.events);
    await screenshot(page, 'query-light');
    await page.getByRole('button', { name: 'Toggle theme' }).click();
    await screenshot(page, 'query-dark');
    await page.getByRole('button', { name: 'Toggle theme' }).click();
  });

  it('shows only visible rows of a large result, with the cap said', async () => {
    await runSql(page, 'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000) SELECT i, printf(\'row %d\', i) AS label FROM n');
    await expect.poll(() => status(page), { timeout: 15_000 }).toMatch(/^10,000 rows \(capped\) in/);
    expect(await page.getByTestId('result-grid').locator('[role=row][aria-rowindex]').count()).toBeLessThan(100);
  });

  it('shows the engine\'s error inline under the editor', async () => {
    await runSql(page, 'SELECT nope FROM events');
    await expect.poll(async () => (await page.getByTestId('query-error').textContent()) ?? '').toContain('no such column: nope');
    await screenshot(page, 'query-error');
    await runSql(page, 'DELETE FROM ev');
    await expect.poll(async () => (await page.getByTestId('query-error').textContent()) ?? '').toMatch(/read-only/);
  });

  it('completes column names of the events view', async () => {
    await page.locator('.cm-content').click();
    await page.keyboard.press('Control+A');
    // `/` is the search box's shortcut elsewhere; in the editor it is division.
    await page.keyboard.type('SELECT 4 / 2 AS half, userIdentity_acc');
    await page.locator('.cm-tooltip-autocomplete').waitFor();
    expect(await page.locator('.cm-tooltip-autocomplete li').first().textContent()).toContain('userIdentity_accessKeyId');
    // The completion ignores keys for a moment after it opens (CodeMirror's interactionDelay).
    await page.waitForTimeout(200);
    await page.keyboard.press('Enter');
    expect(await page.locator('.cm-line').allTextContents()).toEqual(['SELECT 4 / 2 AS half, userIdentity_accessKeyId']);
    expect(await page.getByRole('searchbox').evaluate((el) => el === document.activeElement)).toBe(false);
  });

  it('runs every starter query without error on the import', async () => {
    const starters = page.getByTestId('starter-queries').locator('button');
    const n = await starters.count();
    expect(n).toBeGreaterThanOrEqual(8);
    for (let i = 0; i < n; i++) {
      await starters.nth(i).click();
      await page.getByRole('button', { name: 'Run', exact: true }).click();
      await expect.poll(async () => (await page.getByTestId('query-status').count()) + (await page.getByTestId('query-error').count()), { timeout: 15_000 }).toBeGreaterThan(0);
      await expect.poll(() => page.getByText('Running…').count()).toBe(0);
      expect(await page.getByTestId('query-error').count(), await starters.nth(i).textContent() ?? '').toBe(0);
    }
    await page.locator('[data-starter=access-denied]').click();
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => status(page)).toMatch(/^3 rows/);
  });

  it('renders a hostile value as text and shows a cell in full', async () => {
    await runSql(page, "SELECT eventName, userAgent, requestParameters FROM events WHERE eventName LIKE '%onerror%'");
    await expect.poll(() => status(page)).toMatch(/^1 row in/);
    const cell = page.getByTestId('result-grid').locator('[role=gridcell]', { hasText: HOSTILE }).first();
    expect(await cell.textContent()).toBe(HOSTILE);
    await page.getByTestId('result-grid').locator('[role=gridcell]').nth(2).click();
    expect(await page.getByTestId('cell-viewer').locator('pre').textContent()).toContain('<script>window.__pwned=2</script>');
    await page.getByTestId('result-grid').press('ArrowLeft');
    expect(await page.getByTestId('cell-viewer').locator('pre').textContent()).toBe(HOSTILE);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(await page.locator('img, script:not([src])').count()).toBe(0);
    await screenshot(page, 'query-cell');
  });

  it('sizes columns to content and scrolls a wide result sideways', async () => {
    await runSql(page, 'SELECT * FROM events ORDER BY eventTimeMs LIMIT 300');
    await expect.poll(() => status(page)).toMatch(/^300 rows in/);
    const grid = page.getByTestId('result-grid');
    const { scrollWidth, clientWidth } = await grid.evaluate((el) => ({ scrollWidth: el.scrollWidth, clientWidth: el.clientWidth }));
    expect(scrollWidth).toBeGreaterThan(clientWidth * 2);
    const widths = await grid.locator('[role=columnheader]').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().width));
    expect(new Set(widths.map(Math.round)).size).toBeGreaterThan(4);
    await screenshot(page, 'query-wide');
  });

  it('exports the grid as CSV with formulas neutralised', async () => {
    await runSql(page, "SELECT '=HYPERLINK(\"http://x\")' AS f, 'a,b' AS g, NULL AS h");
    await expect.poll(() => status(page)).toMatch(/^1 row/);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    const file = await download.path();
    expect(download.suggestedFilename()).toMatch(/^cairn-query-\d{8}T\d{6}\.csv$/);
    expect(fs.readFileSync(file, 'utf8')).toBe('f,g,h\r\n"\'=HYPERLINK(""http://x"")","a,b",\r\n');
  });

  it('keeps the history across a reload and loads an entry', async () => {
    const items = page.getByTestId('query-history').locator('button');
    expect(await items.count()).toBeGreaterThanOrEqual(5);
    await page.reload();
    await page.getByRole('tab', { name: 'Query' }).click();
    await page.locator('.cm-content').waitFor();
    expect(await items.first().textContent()).toContain('HYPERLINK');
    await items.filter({ hasText: 'onerror' }).first().click();
    expect(await page.locator('.cm-content').textContent()).toContain('onerror');
  });

  it('made no request off its origin, logged no errors and broke no CSP rule', async () => {
    expect(await readCspViolations(page)).toEqual([]);
    expect(watch.requests.filter((u) => !u.startsWith(app.origin) && !u.startsWith('blob:'))).toEqual([]);
    expect(watch.problems).toEqual([]);
  });
});
