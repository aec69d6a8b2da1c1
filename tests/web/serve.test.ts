/** `cairn serve` as a user runs it: the real command, a real engine, a signal to stop. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envelope, gz, records, tmpDir, trailKey, write } from '../helpers/evidence';
import { Inbox, connect, request } from './client';

const root = path.resolve(__dirname, '..', '..');
const cli = path.join(root, 'bin', 'cairn.js');
let dir: string;
let staticDir: string;
let evidence: string;

beforeAll(() => {
  dir = tmpDir('cairn-serve-');
  staticDir = path.join(dir, 'static');
  write(staticDir, 'index.html', '<!doctype html><title>Cairn served</title>');
  evidence = write(dir, `evidence/${trailKey('111122223333', 'eu-west-1', '2024-02-02', 'z')}`, gz(envelope(records(12))));
});

const children: ChildProcess[] = [];

afterAll(() => {
  // a failed test must not leave a server running
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
});

interface Running {
  readonly child: ChildProcess;
  readonly url: URL;
  readonly stderr: () => string;
}

function serve(args: string[]): Promise<Running> {
  const child = spawn(process.execPath, [cli, 'serve', ...args], { env: { ...process.env, CAIRN_RENDERER_DIR: staticDir } });
  children.push(child);
  let out = '';
  let err = '';
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) resolve({ child, url: new URL(line), stderr: () => err });
    });
    child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
  });
}

function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<number | null> {
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill(signal);
  });
}

async function eventCount(inbox: Inbox): Promise<unknown> {
  const m = await inbox.call('sql:run', { sql: 'SELECT count(*) FROM events', maxRows: 1 });
  return 'result' in m && m.result.ok ? (m.result.value as { rows: unknown[][] }).rows[0]?.[0] : m;
}

describe('cairn serve', () => {
  it('imports evidence, prints a tokened 127.0.0.1 URL, serves the UI and the API, and stops on SIGINT', async () => {
    const s = await serve([path.join(dir, 'evidence')]);
    expect(s.url.hostname).toBe('127.0.0.1');
    const token = s.url.searchParams.get('token') ?? '';
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    const port = Number(s.url.port);
    const page = await request(port, `/?token=${token}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('Cairn served');
    expect((await request(port, '/')).status).toBe(403);
    const ws = await connect(port, { query: `?token=${token}` });
    const inbox = new Inbox(ws);
    await expect.poll(() => eventCount(inbox), { timeout: 30_000 }).toBe(12);
    ws.close();
    expect(await stop(s.child, 'SIGINT'), s.stderr()).toBe(0);
    expect(s.stderr()).toContain('import done (12 records');
  });

  it('opens a .cairn case by its content and stops on SIGTERM', async () => {
    const casePath = path.join(dir, 'saved.cairn');
    const imp = spawnSync(process.execPath, [cli, 'import', evidence, '--case', casePath], { encoding: 'utf8' });
    expect(imp.status, imp.stderr).toBe(0);
    const s = await serve([casePath, '--port', '0']);
    const ws = await connect(Number(s.url.port), { query: `?token=${s.url.searchParams.get('token') ?? ''}` });
    expect(await eventCount(new Inbox(ws))).toBe(12);
    ws.close();
    expect(await stop(s.child, 'SIGTERM'), s.stderr()).toBe(0);
  });

  it('says what is wrong: usage errors exit 2, a missing path or UI exits 1, --help exits 0', () => {
    const run = (args: string[], env: Record<string, string> = { CAIRN_RENDERER_DIR: staticDir }) =>
      spawnSync(process.execPath, [cli, 'serve', ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
    expect(run(['--help']).stdout).toContain('Usage: cairn serve');
    expect(run(['--port', 'abc']).status).toBe(2);
    expect(run(['--bogus']).status).toBe(2);
    expect(run(['a', 'b']).status).toBe(2);
    const missing = run([path.join(dir, 'nope')]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('no such file or folder');
    const noUi = run([], { CAIRN_RENDERER_DIR: path.join(dir, 'empty') });
    expect(noUi.status).toBe(1);
    expect(noUi.stderr).toContain('not built');
  });
});
