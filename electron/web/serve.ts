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
  -h, --help   this help

Environment:
  CAIRN_RENDERER_DIR   serve the UI from this folder instead of the built dist-renderer/`;

function parsePort(text: string | undefined): number | null {
  if (text === undefined) return 0;
  const n = Number(text);
  return Number.isInteger(n) && n >= 0 && n <= 65535 ? n : null;
}

function fail(text: string, code = 1): number {
  process.stderr.write(`cairn serve: ${text}\n`);
  return code;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
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

interface ServeArgs {
  readonly help: boolean;
  readonly port: number;
  readonly target: string | undefined;
}

/** The arguments, or the usage error to print (exit code 2). */
function parseServeArgs(argv: string[]): ServeArgs | string {
  const parse = (args: string[]) =>
    parseArgs({ args, allowPositionals: true, options: { port: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (e) {
    if (e instanceof TypeError) return e.message; // node:util reports unknown options and missing values so
    throw e;
  }
  const port = parsePort(parsed.values.port);
  if (port === null) return '--port must be a number from 0 to 65535';
  if (parsed.positionals.length > 1) return 'one case or evidence path at most';
  return { help: parsed.values.help === true, port, target: parsed.positionals[0] };
}

export async function runServe(argv: string[]): Promise<number> {
  const args = parseServeArgs(argv);
  if (typeof args === 'string') return fail(`${args}\n${USAGE}`, 2);
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (args.target !== undefined && !fs.existsSync(args.target)) return fail(`no such file or folder: ${args.target}`);
  const pkg = findPackage();
  const staticDir = path.resolve(process.env['CAIRN_RENDERER_DIR'] ?? path.join(pkg.root, 'dist-renderer'));
  if (!fs.existsSync(path.join(staticDir, 'index.html'))) return fail(`the UI is not built (${staticDir}/index.html is missing); run npm run build`);
  return serve(args.target, args.port, staticDir, pkg.version);
}

async function serve(target: string | undefined, port: number, staticDir: string, version: string): Promise<number> {
  const signal = untilSignal();
  let host: EngineHost;
  try {
    host = await startHost(target);
  } catch (e) {
    return fail(message(e));
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
    return fail(message(e));
  } finally {
    await host.close();
  }
}
