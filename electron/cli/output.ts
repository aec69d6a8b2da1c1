/**
 * Output for the command line: query results as an aligned table, CSV, JSON or JSON lines, and
 * import progress on stderr (a redrawn bar on a terminal, plain lines otherwise).
 */
import type { SqlResult } from '../../shared/api';
import type { Correlation } from '../engine/correlate/query';
import { csvRow } from '../../shared/csv';
import type { ImportProgress } from '../../shared/domain';

export type Format = 'table' | 'csv' | 'json' | 'jsonl';
export const FORMATS: readonly Format[] = ['table', 'csv', 'json', 'jsonl'];

const MAX_TABLE_CELL = 80;

/** Control characters from log fields must not drive the terminal. */
function printable(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => (c === '\n' ? '\\n' : c === '\t' ? '\\t' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));
}

function tableCell(v: unknown): string {
  const s = v === null || v === undefined ? 'NULL' : printable(String(v));
  return s.length > MAX_TABLE_CELL ? `${s.slice(0, MAX_TABLE_CELL - 1)}…` : s;
}

export function formatResult(r: SqlResult, format: Format): string {
  const objects = (): Record<string, unknown>[] => r.rows.map((row) => Object.fromEntries(r.columns.map((c, i) => [c, row[i] ?? null])));
  switch (format) {
    case 'json':
      return `${JSON.stringify(objects(), null, 1)}\n`;
    case 'jsonl':
      return objects().map((o) => `${JSON.stringify(o)}\n`).join('');
    case 'csv':
      return [csvRow(r.columns), ...r.rows.map((row) => csvRow(row))].map((l) => `${l}\r\n`).join('');
    case 'table': {
      const cells = [r.columns.map(tableCell), ...r.rows.map((row) => row.map(tableCell))];
      const widths = r.columns.map((_, i) => Math.max(...cells.map((row) => row[i]?.length ?? 0)));
      const line = (row: string[]): string => row.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
      const [head, ...body] = cells;
      const out = [line(head ?? []), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)];
      out.push(`(${r.rows.length} row${r.rows.length === 1 ? '' : 's'}${r.truncated ? ', truncated' : ''}, ${r.elapsedMs.toFixed(1)} ms)`);
      return `${out.join('\n')}\n`;
    }
  }
}

function mb(bytes: number): string {
  return (bytes / 1e6).toFixed(1);
}

export class ProgressPrinter {
  private lastLine = 0;
  private drawn = false;
  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {}

  update(p: ImportProgress): void {
    const rate = p.elapsedMs > 0 ? (p.records / (p.elapsedMs / 1000)).toFixed(0) : '0';
    const text = `${p.phase === 'reading' ? 'importing' : p.phase}: ${p.filesDone}/${p.filesSeen} files, ${p.records} records (${rate}/s), ${mb(p.bytesRead)} MB read, ${p.rejects} rejected`;
    if (this.stream.isTTY) {
      const width = 24;
      const fill = p.filesSeen > 0 ? Math.round((width * p.filesDone) / p.filesSeen) : 0;
      this.stream.write(`\r[${'#'.repeat(fill)}${'.'.repeat(width - fill)}] ${text}\u001b[K`);
      this.drawn = true;
    } else if (p.elapsedMs - this.lastLine >= 2000 || p.phase !== 'reading') {
      this.lastLine = p.elapsedMs;
      this.stream.write(`${text}\n`);
    }
  }

  done(): void {
    if (this.drawn) this.stream.write('\n');
  }
}

/** The chain as an indented tree: root actor, then each session under the one that opened it. */
export function formatCorrelation(c: Correlation): string {
  const out: string[] = [];
  const t = (v: string | null): string => (v === null ? '?' : printable(v));
  out.push(c.roots.length === 0 ? 'root actor: none found' : `root actor${c.roots.length > 1 ? 's' : ''}: ${c.roots.map((r) => (r.kind === 'unknown' ? 'issuer unknown (the issuing call is not in the evidence)' : `${r.kind} ${t(r.actor)}`)).join('; ')}`);
  out.push(`sessions (${c.sessions.length}):`);
  for (const s of c.sessions) {
    const how = s.issueCall ? `${s.issueCall} by ${t(s.issuerArn)}${s.issuerKey ? ` with ${s.issuerKey}` : ''} at ${t(s.issuedAt)} from ${t(s.sourceIp)}` : 'issuer unknown';
    out.push(`${'  '.repeat(s.depth + 1)}[${s.id}] ${s.accessKey} <- ${how}`);
    out.push(`${'  '.repeat(s.depth + 2)}${s.roleArn ? `role ${t(s.roleArn)}, ` : ''}as ${t(s.principalArn)}; ${s.events} events ${t(s.firstSeen)} .. ${t(s.lastSeen)}; accounts ${s.accounts.join(', ') || '-'}; regions ${s.regions.join(', ') || '-'}`);
  }
  for (const k of c.created) out.push(`created: ${k.kind} ${t(k.subject)} by ${t(k.creatorArn)} at ${k.at}`);
  out.push(`access keys: ${c.accessKeys.join(', ') || '-'}`);
  out.push(`accounts: ${c.accounts.join(', ') || '-'}`);
  out.push(`ips: ${c.ips.map(printable).join(', ') || '-'}`);
  for (const [label, list] of [['first use of each IP', c.firsts.ip], ['first use of each user agent', c.firsts.userAgent], ['first use of each region', c.firsts.region]] as const) {
    if (list.length > 0) out.push(`${label}: ${list.slice(0, 10).map((f) => `${printable(f.value).slice(0, 60)} ${f.first} (${f.events})`).join('; ')}${list.length > 10 ? '; ...' : ''}`);
  }
  out.push(`events: ${c.events} (${c.eventNames.slice(0, 15).map((e) => `${printable(e.name)} ${e.count}`).join(', ')}${c.eventNames.length > 15 ? ', ...' : ''})`);
  return `${out.join('\n')}\n`;
}
