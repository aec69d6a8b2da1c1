import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_CALLS, type Result } from '../../shared/api';
import { EngineHost } from '../../electron/engine/host/host';
import { handleCall, isTrustedSender, registerIpc, type IpcDeps, type SenderLike, type TrustedWindow } from '../../electron/main/ipc';
import { createShellCall, openDialogOptions, saveDialogOptions, type DialogsLike } from '../../electron/main/shellCalls';
import { rendererLocation } from '../../electron/main/windowSecurity';

const loc = rendererLocation(path.resolve('/opt/cairn/app'));
const ourContents = { id: 1 };
const window: TrustedWindow = { contents: ourContents, loc };
const mainFrame = { url: loc.indexUrl, parent: null };
const fromUs: SenderLike = { sender: ourContents, senderFrame: mainFrame };

describe('isTrustedSender', () => {
  it('accepts the main frame of our window showing our index.html', () => {
    expect(isTrustedSender(fromUs, window)).toBe(true);
    expect(isTrustedSender({ sender: ourContents, senderFrame: { url: `${loc.indexUrl}#/sql`, parent: null } }, window)).toBe(true);
  });

  it('refuses other windows, subframes, navigated frames, missing frames and a window not yet open', () => {
    expect(isTrustedSender({ sender: { id: 2 }, senderFrame: mainFrame }, window)).toBe(false);
    expect(isTrustedSender({ sender: ourContents, senderFrame: { url: loc.indexUrl, parent: mainFrame } }, window)).toBe(false);
    expect(isTrustedSender({ sender: ourContents, senderFrame: { url: 'https://evil.example/', parent: null } }, window)).toBe(false);
    expect(isTrustedSender({ sender: ourContents, senderFrame: { url: 'file:///tmp/evil.html', parent: null } }, window)).toBe(false);
    expect(isTrustedSender({ sender: ourContents, senderFrame: null }, window)).toBe(false);
    expect(isTrustedSender(fromUs, null)).toBe(false);
  });
});

/** Dialogs that answer as a user would: picking the given paths, or cancelling. */
function answeringDialogs(paths: string[] | null, shown: unknown[]): DialogsLike {
  return {
    showOpenDialog: (o) => (shown.push(o), Promise.resolve({ canceled: paths === null, filePaths: paths ?? [] })),
    showSaveDialog: (o) => (shown.push(o), Promise.resolve({ canceled: paths === null, filePath: paths?.[0] ?? '' })),
  };
}

describe('through the handlers, with a real engine', () => {
  let host: EngineHost;
  const observed: string[] = [];
  const shown: unknown[] = [];
  let deps: IpcDeps;

  beforeAll(async () => {
    host = await EngineHost.start();
    deps = {
      host,
      shell: createShellCall({ version: '1.2.3', saveFolder: '/home/me/Documents', dialogs: answeringDialogs(['/cases/x.cairn'], shown) }),
      trusted: () => window,
      observe: (name) => observed.push(name),
    };
  });
  afterAll(() => host.close());

  it('registers one channel per API call, cairn:<name>', () => {
    const channels: string[] = [];
    registerIpc({ handle: (channel) => void channels.push(channel) }, deps);
    expect(channels).toEqual(API_CALLS.map((n) => `cairn:${n}`));
  });

  it('relays engine calls to the host and reports successes', async () => {
    const r = await handleCall(deps, 'case:summary', fromUs, {});
    expect(r.ok).toBe(true);
    const sql = (await handleCall(deps, 'sql:run', fromUs, { sql: 'SELECT 6 * 7 AS n', maxRows: 1 })) as Result<{ rows: unknown[][] }>;
    expect(sql).toMatchObject({ ok: true, value: { rows: [[42]] } });
    expect(await handleCall(deps, 'sql:run', fromUs, { sql: 42 })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(observed).toEqual(['case:summary', 'sql:run']);
  });

  it('refuses every call, engine or shell, from an untrusted sender before doing anything', async () => {
    const stranger: SenderLike = { sender: { id: 9 }, senderFrame: mainFrame };
    const before = shown.length;
    for (const name of API_CALLS) {
      expect(await handleCall(deps, name, stranger, {}), name).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    }
    expect(shown.length).toBe(before);
  });

  it('answers the shell calls: app:info, and the dialogs with validated purposes', async () => {
    expect(await handleCall(deps, 'app:info', fromUs, {})).toEqual({ ok: true, value: { shell: 'electron', version: '1.2.3' } });
    expect(await handleCall(deps, 'dialog:open', fromUs, { purpose: 'case' })).toEqual({ ok: true, value: { paths: ['/cases/x.cairn'] } });
    expect(await handleCall(deps, 'dialog:save', fromUs, { purpose: 'case', defaultName: '../../etc/x.cairn' })).toEqual({ ok: true, value: { path: '/cases/x.cairn' } });
    expect(shown.at(-1)).toMatchObject({ defaultPath: path.join('/home/me/Documents', 'x.cairn') });
    expect(await handleCall(deps, 'dialog:open', fromUs, { purpose: 'anything' })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(await handleCall(deps, 'dialog:save', fromUs, { purpose: 'export' })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(await handleCall(deps, 'dialog:open', fromUs, null)).toMatchObject({ ok: false, error: { code: 'bad-request' } });
  });

  it('answers empty when the user cancels', async () => {
    const shell = createShellCall({ version: '1', saveFolder: '/d', dialogs: answeringDialogs(null, []) });
    expect(await shell('dialog:open', { purpose: 'evidence-files' })).toEqual({ ok: true, value: { paths: [] } });
    expect(await shell('dialog:save', { purpose: 'export', defaultName: 'e.csv' })).toEqual({ ok: true, value: { path: null } });
  });
});

describe('dialog options', () => {
  it('evidence files: multi-select with the evidence extensions and all files', () => {
    const o = openDialogOptions('evidence-files');
    expect(o.properties).toEqual(['openFile', 'multiSelections']);
    expect(o.filters?.[0]?.extensions).toEqual(['json', 'gz', 'zip', 'tar', 'tgz']);
    expect(o.filters?.[1]?.extensions).toEqual(['*']);
  });

  it('evidence folders are directories; cases are .cairn files', () => {
    expect(openDialogOptions('evidence-folder').properties).toContain('openDirectory');
    expect(openDialogOptions('case').filters?.[0]?.extensions).toEqual(['cairn']);
    expect(saveDialogOptions('case', 'a.cairn', '/d').filters?.[0]?.extensions).toEqual(['cairn']);
    expect(saveDialogOptions('export', 'C:\\Windows\\e.csv', '/d').defaultPath).toBe(path.join('/d', 'e.csv'));
    expect(saveDialogOptions('export', '', '/d').defaultPath).toBe(path.join('/d', 'untitled'));
  });
});
