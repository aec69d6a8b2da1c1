/**
 * The `cairn` command: import evidence into a case, query it, describe it, serve the UI. Exit codes:
 * 0 when the command ran (an import with rejects still ran), 1 when it could not run, 2 for bad usage.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { Engine, EngineError } from '../engine/engine';
import { prepareEngineThreads } from '../engine/store/memory';
import type { ImportProgress } from '../../shared/domain';
import type { ImportJob, ImportWorkerMessage } from './importWorker';
import { FORMATS, type Format, ProgressPrinter, formatCorrelation, formatResult } from './output';

const USAGE: Record<string, string> = {
  main: `cairn — offline workbench for AWS CloudTrail evidence

Usage: cairn <command> [options]

Commands:
  import <path>... --case <file>   import evidence (folders, .json/.json.gz, NDJSON, zip, tar, tgz) into a case file
  query <case> "<sql>"             run read-only SQL over the case (table: events, sources, rejects, …)
  info <case>                      events, sources, time range, accounts, regions, top event names
  correlate <case> --access-key K  who is behind a key, principal, IP or session, and what the chain did
  serve [case-or-evidence]         serve the UI on 127.0.0.1 (web mode)

Run 'cairn <command> --help' for a command's options.`,
  import: `Usage: cairn import <path>... --case <file> [--json] [--workers N] [--max-inflate BYTES]

Imports evidence into a case and saves it. <path> may be folders (walked recursively), CloudTrail
.json.gz/.json files, JSON arrays or lines, lookup-events output, zip, tar or tar.gz bundles. Files are
recognised by content. Evidence is opened read-only. If --case names an existing case, the evidence is
added to it (duplicates are dropped).

Options:
  --case <file>        the case file to create or add to (required)
  --json               print the import report as JSON on stdout
  --workers N          parse workers (default: up to 2)
  --max-inflate BYTES  cap on the inflated size of one file (default 8 GiB; bombs are reported)
  -h, --help           this help`,
  query: `Usage: cairn query <case> "<sql>" [--format table|csv|json|jsonl] [--max-rows N]

Runs one read-only SQL statement over a case. The public view is 'events' (CloudTrail field names,
e.g. eventName, userIdentity_arn, sourceIPAddress); other tables: sources, rejects, strings, ev.
Write statements are refused. SQLite functions plus REGEXP are available.

Options:
  --format F      table (default), csv, json or jsonl
  --max-rows N    stop after N rows (default: no limit for csv/json/jsonl, 1000 for table)
  -h, --help      this help`,
  correlate: `Usage: cairn correlate <case> (--access-key ID | --principal ARN | --ip ADDR | --session N) [--json]

Follows temporary credentials back to whoever issued them: the chain from the root actor (an IAM
user's key, a root or console login, a SAML or web identity, an AWS service) through every session
(role chaining across accounts included) to the events, and the sets of access keys, accounts, IPs
and event names involved. A session whose issuing call is not in the evidence says "issuer unknown".
The results are also in the case's 'sessions' and 'created' tables.

Options:
  --access-key ID  a temporary (ASIA…) or long-term (AKIA…) key
  --principal ARN  a user, role or assumed-role ARN
  --ip ADDR        a source IP address
  --session N      a row id of the sessions table
  --json           print as JSON
  -h, --help       this help`,
  info: `Usage: cairn info <case> [--json]

Describes a case: events, sources, rejects, time range, accounts, regions and top event names.

Options:
  --json          print as JSON
  -h, --help      this help`,
};

class UsageError extends Error {}

function fail(message: string, code = 1): number {
  process.stderr.write(`cairn: ${message}\n`);
  return code;
}

async function cmdImport(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { case: { type: 'string' }, json: { type: 'boolean' }, workers: { type: 'string' }, 'max-inflate': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) return help('import');
  if (positionals.length === 0) throw new UsageError('import needs at least one evidence path');
  if (!values.case) throw new UsageError('import needs --case <file>');
  for (const p of positionals) if (!fs.existsSync(p)) return fail(`evidence not found: ${p}`);
  const caseFile = path.resolve(values.case);
  const evidence = positionals.map((p) => path.resolve(p));
  if (evidence.includes(caseFile)) return fail('the case file cannot also be evidence');
  const workers = values.workers ? Number(values.workers) : undefined;
  if (workers !== undefined && !(Number.isInteger(workers) && workers >= 1 && workers <= 64)) throw new UsageError('--workers must be an integer from 1 to 64');
  const maxInflate = values['max-inflate'] ? Number(values['max-inflate']) : undefined;
  if (maxInflate !== undefined && !(maxInflate > 0)) throw new UsageError('--max-inflate must be a positive number of bytes');

  const job: ImportJob = { caseFile, exists: fs.existsSync(caseFile), evidence, ...(workers ? { workers } : {}), ...(maxInflate ? { maxInflate } : {}) };
  const printer = new ProgressPrinter();
  const outcome = await importOnWorker(job, (p) => printer.update(p));
  printer.done();
  if (outcome.type === 'failed') return fail(outcome.message);
  const { report, saved } = outcome;
  if (values.json) process.stdout.write(`${JSON.stringify(report, null, 1)}\n`);
  const r = report.records;
  process.stderr.write(
    `imported ${r.imported} of ${r.seen} records (${r.duplicates} duplicates, ${r.rejected} rejected) from ${report.files.imported} of ${report.files.seen} files` +
      ` in ${(report.elapsedMs / 1000).toFixed(1)} s; ${report.files.skipped.length} files skipped; case saved to ${saved.path} (${(saved.bytes / 1e6).toFixed(1)} MB)\n`,
  );
  return 0;
}

/** Runs the import and the save on a worker thread (see importWorker.ts); resolves with its last word. */
function importOnWorker(job: ImportJob, onProgress: (p: ImportProgress) => void): Promise<Exclude<ImportWorkerMessage, { type: 'progress' }>> {
  prepareEngineThreads();
  const worker = new Worker(path.join(__dirname, 'importWorker.js'), { workerData: job });
  return new Promise((resolve) => {
    let outcome: Exclude<ImportWorkerMessage, { type: 'progress' }> | null = null;
    worker.on('message', (m: ImportWorkerMessage) => {
      if (m.type === 'progress') onProgress(m.progress);
      else outcome ??= m;
    });
    worker.on('error', (e) => {
      outcome ??= { type: 'failed', message: `the import stopped: ${e.message}` };
    });
    worker.on('exit', (code) => resolve(outcome ?? { type: 'failed', message: `the import stopped (exit code ${code})` }));
  });
}

async function openCase(file: string | undefined): Promise<Engine> {
  if (!file) throw new UsageError('a case file is required');
  if (!fs.existsSync(file)) throw new EngineError('not-found', `case not found: ${file}`);
  return Engine.open(file);
}

async function cmdQuery(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { format: { type: 'string' }, 'max-rows': { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) return help('query');
  const format = (values.format ?? 'table') as Format;
  if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`);
  const [file, sql, ...extra] = positionals;
  if (!sql || extra.length > 0) throw new UsageError('query takes a case file and one SQL string');
  const maxRows = values['max-rows'] ? Number(values['max-rows']) : format === 'table' ? 1000 : Number.MAX_SAFE_INTEGER;
  if (!(maxRows > 0)) throw new UsageError('--max-rows must be positive');
  const engine = await openCase(file);
  try {
    const result = engine.runSql(sql, maxRows);
    process.stdout.write(formatResult(result, format));
    if (result.truncated && format !== 'table') process.stderr.write(`cairn: output truncated at ${maxRows} rows\n`);
    return 0;
  } finally {
    engine.close();
  }
}

async function cmdInfo(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) return help('info');
  if (positionals.length !== 1) throw new UsageError('info takes one case file');
  const engine = await openCase(positionals[0]);
  try {
    const s = engine.summary();
    if (values.json) {
      process.stdout.write(`${JSON.stringify({ ...s, first: s.firstMs === null ? null : new Date(s.firstMs).toISOString(), last: s.lastMs === null ? null : new Date(s.lastMs).toISOString() }, null, 1)}\n`);
      return 0;
    }
    const list = (xs: readonly { value: string | null; count: number }[]): string => xs.map((x) => `${x.value ?? '(none)'} (${x.count})`).join(', ') || '—';
    process.stdout.write(
      [
        `case:        ${s.path}`,
        `events:      ${s.events}`,
        `sources:     ${s.sources} files (${s.rejects} rejected records)`,
        `time range:  ${s.firstMs === null ? '—' : new Date(s.firstMs).toISOString()} … ${s.lastMs === null ? '—' : new Date(s.lastMs).toISOString()}`,
        `accounts:    ${list(s.accounts)}`,
        `regions:     ${list(s.regions)}`,
        `top events:  ${list(s.topEventNames)}`,
      ].join('\n') + '\n',
    );
    return 0;
  } finally {
    engine.close();
  }
}

async function cmdCorrelate(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { 'access-key': { type: 'string' }, principal: { type: 'string' }, ip: { type: 'string' }, session: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) return help('correlate');
  if (positionals.length !== 1) throw new UsageError('correlate takes one case file');
  const given = [values['access-key'], values.principal, values.ip, values.session].filter((v) => v !== undefined);
  if (given.length !== 1) throw new UsageError('give exactly one of --access-key, --principal, --ip, --session');
  const by = values['access-key'] ? { accessKey: values['access-key'] } : values.principal ? { principal: values.principal } : values.ip ? { ip: values.ip } : { session: Number(values.session) };
  const engine = await openCase(positionals[0]);
  try {
    const c = engine.correlate(by);
    if (values.json) {
      process.stdout.write(`${JSON.stringify(c, null, 1)}\n`);
      return 0;
    }
    process.stdout.write(formatCorrelation(c));
    return 0;
  } finally {
    engine.close();
  }
}

async function cmdServe(args: string[]): Promise<number> {
  const servePath = path.join(__dirname, '..', 'web', 'serve.js');
  if (!fs.existsSync(servePath)) return fail('web mode is not built; run npm run build');
  const mod = (await import(servePath)) as { runServe?: (argv: string[]) => Promise<number> };
  if (typeof mod.runServe !== 'function') return fail('web mode is not available in this build');
  return mod.runServe(args);
}

function help(cmd: string): number {
  process.stdout.write(`${USAGE[cmd] ?? USAGE['main']}\n`);
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case 'import':
        return await cmdImport(rest);
      case 'query':
        return await cmdQuery(rest);
      case 'info':
        return await cmdInfo(rest);
      case 'correlate':
        return await cmdCorrelate(rest);
      case 'serve':
        return await cmdServe(rest);
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        return help('main');
      default:
        throw new UsageError(`unknown command '${cmd}'`);
    }
  } catch (e) {
    if (e instanceof UsageError || (e instanceof Error && 'code' in e && String((e as { code: unknown }).code).startsWith('ERR_PARSE_ARGS'))) {
      return fail(`${e.message}\nRun 'cairn ${cmd && USAGE[cmd] ? `${cmd} ` : ''}--help' for usage.`, 2);
    }
    return fail(e instanceof Error ? e.message : String(e));
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
