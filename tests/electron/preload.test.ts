/**
 * Runs the preload exactly as built (the bundle a sandboxed window loads) with a recording `electron`
 * module and window, and checks what it exposes to the page.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';
import { API_CALLS } from '../../shared/api';

const root = path.resolve(__dirname, '..', '..');
const bundle = path.join(root, 'dist', 'electron', 'preload', 'preload.js');

type Fn = (...args: unknown[]) => unknown;

interface Loaded {
  readonly exposed: Map<string, Record<string, Fn>>;
  readonly invoked: { channel: string; req: unknown }[];
  readonly sent: { channel: string; args: unknown[] }[];
  readonly ipcListeners: Map<string, Set<Fn>>;
  readonly windowListeners: Map<string, Fn>;
  readonly required: string[];
}

function load(opts: { invokeThrows?: boolean } = {}): Loaded {
  const l: Loaded = { exposed: new Map(), invoked: [], sent: [], ipcListeners: new Map(), windowListeners: new Map(), required: [] };
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: Record<string, Fn>) => l.exposed.set(key, api) },
    ipcRenderer: {
      invoke: (channel: string, req: unknown) => {
        if (opts.invokeThrows) throw new Error('An object could not be cloned.');
        l.invoked.push({ channel, req });
        return Promise.resolve({ ok: true, value: { answeredOn: channel } });
      },
      send: (channel: string, ...args: unknown[]) => l.sent.push({ channel, args }),
      on: (channel: string, fn: Fn) => l.ipcListeners.set(channel, (l.ipcListeners.get(channel) ?? new Set()).add(fn)),
      removeListener: (channel: string, fn: Fn) => l.ipcListeners.get(channel)?.delete(fn),
    },
    webUtils: { getPathForFile: (f: { fakePath: string }) => f.fakePath },
  };
  const window = { addEventListener: (type: string, fn: Fn) => l.windowListeners.set(type, fn) };
  const require = (id: string): unknown => {
    l.required.push(id);
    if (id === 'electron') return electron;
    throw new Error(`a sandboxed preload cannot require ${id}`);
  };
  const fn = new vm.Script(`(function (require, window) {${fs.readFileSync(bundle, 'utf8')}\n})`, { filename: bundle }).runInThisContext() as Fn;
  fn(require, window);
  return l;
}

beforeAll(() => {
  // Bundle the preload alone: the whole Electron build would rewrite dist/ under other running tests.
  const r = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs'), 'preload'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('preload bundle failed');
});

describe('the preload bundle', () => {
  it('requires nothing but electron (a sandboxed preload cannot)', () => {
    expect(load().required).toEqual(['electron']);
  });

  it('exposes window.cairn with exactly one function per API call plus onPush', () => {
    const { exposed } = load();
    expect([...exposed.keys()]).toEqual(['cairn']);
    const api = exposed.get('cairn') ?? {};
    expect(Object.keys(api).sort()).toEqual([...API_CALLS, 'onPush'].sort());
    for (const k of Object.keys(api)) expect(typeof api[k], k).toBe('function');
  });

  it('invokes cairn:<name> with the request for each call and returns its result', async () => {
    const l = load();
    const api = l.exposed.get('cairn') ?? {};
    for (const name of API_CALLS) {
      const req = { probe: name };
      await expect(api[name]?.(req)).resolves.toEqual({ ok: true, value: { answeredOn: `cairn:${name}` } });
    }
    expect(l.invoked).toEqual(API_CALLS.map((name) => ({ channel: `cairn:${name}`, req: { probe: name } })));
  });

  it('turns a request that cannot cross IPC into a bad-request result, not a rejection', async () => {
    const api = load({ invokeThrows: true }).exposed.get('cairn') ?? {};
    await expect(api['sql:run']?.({ sql: () => 1 })).resolves.toMatchObject({ ok: false, error: { code: 'bad-request' } });
  });

  it('delivers pushes without the IPC event, drops unknown ones, and unsubscribes', () => {
    const l = load();
    const api = l.exposed.get('cairn') ?? {};
    const got: unknown[][] = [];
    const off = api['onPush']?.((name: unknown, payload: unknown) => got.push([name, payload])) as () => void;
    const [listener] = [...(l.ipcListeners.get('cairn:push') ?? [])];
    const ipcEvent = { sender: { id: 1, secret: 'ipcRenderer' }, senderFrame: null };
    listener?.(ipcEvent, 'import:progress', { done: 1 });
    listener?.(ipcEvent, 'not:a-push', { x: 1 });
    expect(got).toEqual([['import:progress', { done: 1 }]]);
    off();
    expect(l.ipcListeners.get('cairn:push')?.size).toBe(0);
    expect(() => api['onPush']?.('not a function')).toThrow(TypeError);
  });

  it('sends the paths of dropped files and folders to main over the private channel', () => {
    const l = load();
    let prevented = 0;
    const preventDefault = (): void => void prevented++;
    l.windowListeners.get('dragover')?.({ preventDefault });
    const files = [{ fakePath: '/evidence/a.json.gz' }, { fakePath: '/evidence/AWSLogs' }, { fakePath: '' }];
    l.windowListeners.get('drop')?.({ preventDefault, dataTransfer: { files } });
    l.windowListeners.get('drop')?.({ preventDefault, dataTransfer: { files: [] } });
    expect(prevented).toBe(3);
    expect(l.sent).toEqual([{ channel: 'cairn-private:drop', args: [['/evidence/a.json.gz', '/evidence/AWSLogs']] }]);
  });
});
