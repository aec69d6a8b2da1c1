/**
 * The correlation panel in Chromium (web mode): pivot from an event's access key to the chain graph
 * with its issuer, a session whose issuer is unknown, hostile values as text, and the pivot back to
 * every event of the actor. The evidence is written here: a role chain across two accounts.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumMissing, detailSettled, readCspViolations, recordCspViolations, screenshot, startApp, watchPage, type App } from './harness';
import { envelope, record, tmpDir, write, type Rec } from '../helpers/evidence';

const skip = chromiumMissing();
if (skip) console.warn(skip);

const HOSTILE = '<img src=x onerror=window.__pwned=1>';
const A = '111111111111';
const B = '222222222222';
const T0 = Date.UTC(2025, 5, 1, 10, 0, 0);
const at = (min: number): string => new Date(T0 + min * 60_000).toISOString().replace('.000', '');
const alice: Rec = { type: 'IAMUser', principalId: 'AIDAALICE', arn: `arn:aws:iam::${A}:user/alice`, accountId: A, accessKeyId: 'AKIAALICE', userName: 'alice' };
const role = (acct: string, name: string, session: string, key: string): Rec => ({
  type: 'AssumedRole',
  principalId: `AROA${name}:${session}`,
  arn: `arn:aws:sts::${acct}:assumed-role/${name}/${session}`,
  accountId: acct,
  accessKeyId: key,
  sessionContext: { sessionIssuer: { type: 'Role', arn: `arn:aws:iam::${acct}:role/${name}`, accountId: acct, userName: name }, attributes: { creationDate: at(0), mfaAuthenticated: 'false' } },
});
const assume = (min: number, who: Rec, acct: string, name: string, session: string, key: string): Rec =>
  record({ eventTime: at(min), eventSource: 'sts.amazonaws.com', eventName: 'AssumeRole', userIdentity: who, recipientAccountId: A, sourceIPAddress: '203.0.113.9', requestParameters: { roleArn: `arn:aws:iam::${acct}:role/${name}`, roleSessionName: session }, responseElements: { credentials: { accessKeyId: key }, assumedRoleUser: { arn: `arn:aws:sts::${acct}:assumed-role/${name}/${session}` } } });

function writeEvidence(): string {
  const dir = tmpDir('cairn-e2e-corr-');
  const hop = role(A, 'Hop', 'alice-1', 'ASIAHOP1');
  const target = role(B, 'Target', 'hop-2', 'ASIAT2');
  const recs = [
    assume(0, alice, A, 'Hop', 'alice-1', 'ASIAHOP1'),
    record({ eventTime: at(1), eventName: 'ListBuckets', eventSource: 's3.amazonaws.com', userIdentity: hop, recipientAccountId: A }),
    assume(2, hop, B, 'Target', 'hop-2', 'ASIAT2'),
    record({ eventTime: at(3), eventName: 'DeleteBucket', eventSource: 's3.amazonaws.com', userIdentity: target, recipientAccountId: B, sourceIPAddress: '198.51.100.77', userAgent: HOSTILE }),
    record({ eventTime: at(4), eventName: 'PutBucketPolicy', eventSource: 's3.amazonaws.com', userIdentity: target, recipientAccountId: B, sourceIPAddress: '198.51.100.77' }),
    record({ eventTime: at(20), eventName: 'GetSecretValue', eventSource: 'secretsmanager.amazonaws.com', userIdentity: role(A, 'Ghost', HOSTILE, 'ASIAORPHAN'), recipientAccountId: A }),
    ...Array.from({ length: 12 }, (_, i) => record({ eventTime: at(30 + i), eventName: 'DescribeInstances', userIdentity: { ...alice, accessKeyId: 'AKIABOB', arn: `arn:aws:iam::${A}:user/bob`, userName: 'bob' } })),
  ];
  write(dir, 'ev/trail.json', envelope(recs));
  return path.join(dir, 'ev');
}

async function countText(page: Page): Promise<string> {
  return (await page.getByTestId('events-count').textContent()) ?? '';
}

describe.skipIf(skip !== null)('the correlation panel in Chromium', () => {
  let app: App;
  let page: Page;
  let watch: ReturnType<typeof watchPage>;

  beforeAll(async () => {
    const evidence = writeEvidence();
    app = await startApp();
    page = await app.context.newPage();
    watch = watchPage(page);
    await recordCspViolations(page);
    await page.goto(app.url);
    await page.getByRole('tab', { name: 'Sources' }).click();
    await page.getByTestId('import-paths').fill(evidence);
    await page.getByTestId('sources-panel').getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByTestId('import-done').waitFor({ timeout: 30_000 });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('says nothing is selected before a pivot', async () => {
    await page.getByRole('tab', { name: 'Correlation' }).click();
    await page.getByText('Nothing selected').waitFor();
  });

  it('pivots from an event\'s access key to the chain graph with its issuer', async () => {
    await page.getByRole('tab', { name: 'Events' }).click();
    await page.getByRole('searchbox').fill('DeleteBucket');
    await page.getByRole('searchbox').press('Enter');
    await expect.poll(() => countText(page), { timeout: 15_000 }).toMatch(/of 1\b/);
    await page.locator('[role=row][aria-rowindex="1"]').click();
    await detailSettled(page);
    const leaf = page.getByTestId('detail').locator('[data-path="userIdentity.accessKeyId"]');
    await leaf.hover();
    await leaf.getByRole('button', { name: 'pivot' }).click();
    const graph = page.getByTestId('chain-graph');
    await graph.waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('chain-roots').textContent()).toBe('user/alice (IAMUser)');
    expect(await graph.locator('.chain-edge-label').allTextContents()).toEqual(expect.arrayContaining(['signs with', 'AssumeRole', 'as', 'in']));
    const asked = graph.locator('[data-node-id="session:2"], .chain-node.asked');
    expect(await graph.locator('.chain-node.asked .chain-node-label').textContent()).toBe('ASIAT2');
    await asked.first().click();
    const details = page.getByTestId('node-details');
    await expect.poll(async () => (await details.textContent()) ?? '').toContain('AssumeRole');
    expect(await details.textContent()).toContain(`arn:aws:sts::${A}:assumed-role/Hop/alice-1`);
    await page.getByTestId('entity-histogram').waitFor();
    await expect.poll(() => page.getByTestId('entity-events').locator('tbody tr').count()).toBe(2);
    await page.getByTestId('firsts').waitFor();
    await screenshot(page, 'correlation-light');
    await page.getByRole('button', { name: 'Toggle theme' }).click();
    await screenshot(page, 'correlation-dark');
    await page.getByRole('button', { name: 'Toggle theme' }).click();
  });

  it('renders hostile values as text', async () => {
    expect(await page.getByTestId('firsts').textContent()).toContain(HOSTILE);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(await page.locator('img, script:not([src])').count()).toBe(0);
  });

  it('shows "issuer unknown" for a session whose issuing call is not in the evidence', async () => {
    await page.getByTestId('corr-search').fill('ASIAORPHAN');
    await page.getByTestId('corr-search').press('Enter');
    await expect.poll(async () => (await page.getByTestId('chain-roots').textContent()) ?? '').toBe('issuer unknown (unknown)');
    const graph = page.getByTestId('chain-graph');
    expect(await graph.locator('.chain-node.kind-unknown .chain-node-label').textContent()).toBe('issuer unknown');
    expect(await graph.locator('.chain-edge.unknown .chain-edge-label').textContent()).toBe('issuer unknown');
    expect(await graph.locator('.chain-node.kind-actor').count()).toBe(0);
    await graph.locator('.chain-node.asked').click();
    await expect.poll(async () => (await page.getByTestId('node-details').textContent()) ?? '').toContain(HOSTILE);
    expect(await page.locator('img').count()).toBe(0);
    await screenshot(page, 'correlation-unknown');
  });

  it('shows a principal that opened no session with the keys that signed its events', async () => {
    // Drop the free-text search left by the pivot above: the summary counts under the app's filter.
    await page.locator('.topbar input[type=search]').fill('');
    await page.locator('.topbar input[type=search]').press('Enter');
    await page.getByTestId('corr-search').fill(`arn:aws:iam::${A}:user/bob`);
    await page.getByTestId('corr-search').press('Enter');
    const graph = page.getByTestId('chain-graph');
    await expect.poll(async () => graph.locator('.chain-node-label').allTextContents()).toEqual(['user/bob', 'AKIABOB']);
    // The pivot left its own clause (the access key) in the app's filter: bob counts nothing under it.
    await expect.poll(() => page.getByTestId('entity-events-count').textContent()).toBe('0');
    await page.getByLabel('under the current filter').uncheck();
    await expect.poll(() => page.getByTestId('entity-events-count').textContent()).toBe('12');
    await expect.poll(() => page.getByTestId('entity-events').locator('tbody tr').count()).toBe(12);
  });

  it('shows every event of the actor across every session in the Events tab', async () => {
    await page.getByTestId('corr-search').fill('AKIAALICE');
    await page.getByTestId('corr-search').press('Enter');
    await expect.poll(async () => (await page.getByTestId('chain-roots').textContent()) ?? '').toBe('user/alice (IAMUser)');
    await page.getByRole('button', { name: /Show all events of this actor/ }).click();
    await page.getByTestId('pill').waitFor();
    expect(await page.getByTestId('pill').count()).toBe(1);
    expect(await page.getByTestId('pill').textContent()).toContain('AKIAALICE, ASIAHOP1, ASIAT2');
    await page.getByRole('button', { name: 'Clear all' }).click();
    await page.getByTestId('pill').waitFor({ state: 'detached' });
  });

  it('made no request off its origin, logged no errors and broke no CSP rule', async () => {
    expect(watch.requests.filter((u) => !u.startsWith(app.origin))).toEqual([]);
    expect(watch.problems).toEqual([]);
    expect(await readCspViolations(page)).toEqual([]);
  });
});
