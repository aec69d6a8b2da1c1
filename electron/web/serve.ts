/**
 * `cairn serve [case-or-evidence] [--port N]`: starts the engine in its worker, opens the case or
 * imports the evidence, serves the built renderer and prints the URL with its token. Runs until
 * SIGINT or SIGTERM, then closes the server and the engine.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { EngineHost } from '../engine/host/host';
import { isCaseFile } from './caseFile';
import { findPackage } from './packageRoot';
import { startWebServer } from './server';

const USAGE = `Usage: cairn serve [case-or-evidence] [--port N]

Serves Cairn's UI on http://127.0.0.1 (web mode) and prints the URL to open, with its access token.
A .cairn case file is opened; any other path (folder, log file, zip, tar) is imported as evidence.
Only this machine can connect, and only with the token. Stop with Ctrl+C.

Options:
  --port N     port to listen on (default: any free port)
  -h, --help   this help`;

function parsePort(text: string | undefined): number | null {
  if (text === undefined) return 0;
  const n = Number(text);
  return Number.isInteger(n) && n >= 0 && n <= 65535 ? n : null;
}

function fail(message: string, code = 1): number {
  process.stderr.write(`cairn serve: ${message}\n`);
  return code;
}

async function startHost(target: string | undefined): Promise<EngineHost> {
  if (target === undefined) return EngineHost.start();
  if (isCaseFile(target)) return EngineHost.start({ casePath: target });
  const host = await EngineHost.start();
  const started = await host.call('import:start', { paths: [path.resolve(target)] });
  if (!started.ok) {
    await host.close();
    throw new Error(`could not import ${target}: ${started.error.message}`);
  }
  return host;
}

/** Progress on stderr, so the terminal shows an import even before a browser connects. */
function logPushes(host: EngineHost): void {
  host.onPush((name, payload) => {
    if (name !== 'import:done') return;
    const report = (payload as { report?: { records?: { imported?: number; rejected?: number } } }).report;
    process.stderr.write(`cairn serve: import done (${report?.records?.imported ?? 0} records, ${report?.records?.rejected ?? 0} rejected)\n`);
  });
}

function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
}

export async function runServe(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { port: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  } catch (e) {
    return fail(`${(e as Error).message}\n${USAGE}`, 2);
  }
  if (parsed.values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const port = parsePort(parsed.values.port);
  if (port === null) return fail('--port must be a number from 0 to 65535', 2);
  if (parsed.positionals.length > 1) return fail(`one case or evidence path at most\n${USAGE}`, 2);
  const target = parsed.positionals[0];
  if (target !== undefined && !fs.existsSync(target)) return fail(`no such file or folder: ${target}`);
  const pkg = findPackage();
  const staticDir = path.join(pkg.root, 'dist-renderer');
  if (!fs.existsSync(path.join(staticDir, 'index.html'))) return fail('the UI is not built (dist-renderer/ is missing); run npm run build');
  return serve(target, port, staticDir, pkg.version);
}

async function serve(target: string | undefined, port: number, staticDir: string, version: string): Promise<number> {
  const signal = untilSignal();
  let host: EngineHost;
  try {
    host = await startHost(target);
  } catch (e) {
    return fail((e as Error).message);
  }
  logPushes(host);
  try {
    const server = await startWebServer({ port, staticDir, host, version });
    process.stdout.write(`${server.url}\n`);
    process.stderr.write('cairn serve: open the URL above in a browser on this machine; Ctrl+C stops the server.\n');
    await signal;
    await server.close();
    return 0;
  } catch (e) {
    return fail((e as Error).message);
  } finally {
    await host.close();
  }
}
