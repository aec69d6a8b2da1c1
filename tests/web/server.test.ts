import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineHost } from '../../electron/engine/host/host';
import { startWebServer, type WebServer } from '../../electron/web/server';
import { tmpDir, write } from '../helpers/evidence';
import { request } from './client';

let dir: string;
let host: EngineHost;
let server: WebServer;

beforeAll(async () => {
  dir = tmpDir('cairn-web-');
  write(dir, 'static/index.html', '<!doctype html><title>Cairn</title><script src="assets/app.js"></script>');
  write(dir, 'static/assets/app.js', 'console.log("app")');
  write(dir, 'static/assets/logo.svg', '<svg xmlns="http://www.w3.org/2000/svg"/>');
  write(dir, 'secret.txt', 'outside the static folder');
  fs.symlinkSync(path.join(dir, 'secret.txt'), path.join(dir, 'static', 'link.txt'));
  host = await EngineHost.start();
  server = await startWebServer({ staticDir: path.join(dir, 'static'), host });
});

afterAll(async () => {
  await server.close();
  await host.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const withToken = (p: string): string => `${p}${p.includes('?') ? '&' : '?'}token=${server.token}`;

describe('token', () => {
  it('is 32 random bytes in hex and is printed in the URL', () => {
    expect(server.token).toMatch(/^[0-9a-f]{64}$/);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
  });

  it('refuses requests without it, or with a wrong one, with a bare 403', async () => {
    for (const p of ['/', '/index.html', '/assets/app.js', '/nope', '/?token=', `/?token=${'0'.repeat(64)}`, `/?token=${server.token}x`]) {
      const r = await request(server.port, p);
      expect(r.status, p).toBe(403);
      expect(r.body, p).toBe('');
      expect(r.headers['set-cookie'], p).toBeUndefined();
    }
  });

  it('serves the page with the query token and sets an HttpOnly SameSite=Strict cookie', async () => {
    const r = await request(server.port, withToken('/'));
    expect(r.status).toBe(200);
    expect(r.body).toContain('<title>Cairn</title>');
    const cookie = r.headers['set-cookie']?.[0] ?? '';
    expect(cookie).toContain(`cairn_token=${server.token}`);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
  });

  it('accepts the cookie alone for the page and its assets, and refuses a wrong cookie', async () => {
    const good = await request(server.port, '/assets/app.js', { Cookie: `other=1; cairn_token=${server.token}` });
    expect(good.status).toBe(200);
    expect(good.body).toBe('console.log("app")');
    expect(good.headers['set-cookie']).toBeUndefined();
    const bad = await request(server.port, '/assets/app.js', { Cookie: `cairn_token=${'a'.repeat(64)}` });
    expect(bad.status).toBe(403);
  });
});

describe('listening', () => {
  it('binds 127.0.0.1 only and refuses a port already taken', async () => {
    await expect(startWebServer({ staticDir: path.join(dir, 'static'), host, port: server.port })).rejects.toThrow(/EADDRINUSE/);
    const other = await startWebServer({ staticDir: path.join(dir, 'static'), host });
    expect(new URL(other.url).hostname).toBe('127.0.0.1');
    expect(other.token).not.toBe(server.token);
    await other.close();
    const lan = Object.values(os.networkInterfaces()).flat().find((i) => i?.family === 'IPv4' && !i.internal)?.address;
    if (lan !== undefined) {
      const refused = await new Promise<string>((resolve) => {
        const sock = net.connect(server.port, lan, () => (sock.destroy(), resolve('connected')));
        sock.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
      });
      expect(refused).toBe('ECONNREFUSED');
    }
  });
});

describe('Host header', () => {
  it('accepts 127.0.0.1 and localhost on our port only (DNS rebinding)', async () => {
    expect((await request(server.port, withToken('/'), { Host: `localhost:${server.port}` })).status).toBe(200);
    for (const h of [`evil.example:${server.port}`, '127.0.0.1', `127.0.0.1:${server.port + 1}`, `localhost.evil.example:${server.port}`]) {
      const r = await request(server.port, withToken('/'), { Host: h });
      expect(r.status, h).toBe(403);
      expect(r.body, h).toBe('');
    }
  });
});

describe('static files', () => {
  it('sends the CSP and the other security headers, and never caches index.html', async () => {
    const r = await request(server.port, withToken('/'));
    const csp = String(r.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${server.port} ws://localhost:${server.port}`);
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['referrer-policy']).toBe('no-referrer');
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
  });

  it('gives assets their content type', async () => {
    expect((await request(server.port, withToken('/assets/app.js'))).headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await request(server.port, withToken('/assets/logo.svg'))).headers['content-type']).toBe('image/svg+xml');
  });

  it('refuses every path outside the folder, symlinks out of it and directory listings', async () => {
    const paths = ['/../secret.txt', '/assets/../../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/..%5csecret.txt', '/link.txt', '/assets/', '/assets', '/index.html%00.js', '/%E0%A4%A'];
    for (const p of paths) {
      const r = await request(server.port, withToken(p));
      expect(r.status, p).toBe(404);
      expect(r.body, p).not.toContain('outside the static folder');
    }
  });

  it('answers GET and HEAD only', async () => {
    expect((await request(server.port, withToken('/'), {}, 'POST')).status).toBe(405);
    const head = await request(server.port, withToken('/'), {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
  });
});
