/**
 * Completion for the SQL editor: table and column names from `sql:schema` (the `events` view's
 * columns first), SQLite's keywords and functions, and Cairn's own functions. After `name.` only the
 * columns of that table (or of the table an alias stands for) are offered.
 */
import type { Completion, CompletionContext, CompletionResult, CompletionSource } from '@codemirror/autocomplete';

export interface SchemaTable {
  readonly name: string;
  readonly columns: readonly string[];
}

export const SQL_KEYWORDS: readonly string[] = [
  'SELECT', 'FROM', 'WHERE', 'GROUP BY', 'ORDER BY', 'HAVING', 'LIMIT', 'OFFSET', 'JOIN', 'LEFT JOIN', 'INNER JOIN', 'CROSS JOIN',
  'ON', 'USING', 'AS', 'DISTINCT', 'AND', 'OR', 'NOT', 'IN', 'IS', 'NULL', 'LIKE', 'GLOB', 'REGEXP', 'BETWEEN', 'CASE', 'WHEN',
  'THEN', 'ELSE', 'END', 'WITH', 'UNION', 'UNION ALL', 'INTERSECT', 'EXCEPT', 'EXISTS', 'ASC', 'DESC', 'COLLATE NOCASE', 'VALUES',
  'EXPLAIN QUERY PLAN', 'CAST', 'OVER', 'PARTITION BY', 'WINDOW', 'FILTER', 'ESCAPE', 'PRAGMA', 'RECURSIVE',
];

export const SQL_FUNCTIONS: readonly { readonly name: string; readonly info: string }[] = [
  ...['count', 'sum', 'total', 'avg', 'min', 'max', 'group_concat'].map((name) => ({ name, info: 'aggregate' })),
  ...['coalesce', 'ifnull', 'nullif', 'iif', 'typeof', 'length', 'lower', 'upper', 'substr', 'instr', 'replace', 'trim', 'ltrim', 'rtrim', 'printf', 'format', 'abs', 'round', 'hex', 'quote', 'like', 'glob', 'regexp'].map((name) => ({ name, info: 'scalar' })),
  ...['date', 'time', 'datetime', 'julianday', 'strftime', 'unixepoch'].map((name) => ({ name, info: 'date and time' })),
  ...['json_extract', 'json_each', 'json_tree', 'json_array_length', 'json_type', 'json_valid', 'json_object', 'json_array', 'json_group_array', 'json_group_object'].map((name) => ({ name, info: 'JSON' })),
  ...['row_number', 'rank', 'dense_rank', 'lag', 'lead', 'first_value', 'last_value', 'ntile'].map((name) => ({ name, info: 'window' })),
  { name: 'cairn_raw', info: 'Cairn: the original record (blk, off, len)' },
  { name: 'cairn_raw_contains', info: 'Cairn: case-insensitive search in the original record' },
];

const EVENTS = 'events';
const NOT_ALIASES = new Set(['where', 'join', 'left', 'inner', 'cross', 'on', 'using', 'group', 'order', 'limit', 'natural', 'union', 'having', 'window', 'as']);

/** Every option, ranked by boost: the events view's columns, then tables, other columns, keywords, functions. */
export function completionOptions(tables: readonly SchemaTable[]): Completion[] {
  const events = tables.find((t) => t.name.toLowerCase() === EVENTS);
  const seen = new Set<string>();
  const out: Completion[] = [];
  const add = (c: Completion): void => {
    const key = c.label.toLowerCase();
    if (seen.has(key)) return;
    seen.add(key);
    out.push(c);
  };
  for (const c of events?.columns ?? []) add({ label: c, type: 'property', detail: EVENTS, boost: 40 });
  for (const t of tables) add({ label: t.name, type: t.name === EVENTS ? 'type' : 'class', detail: 'table', boost: 30 });
  for (const t of tables) for (const c of t.columns) add({ label: c, type: 'property', detail: t.name, boost: 10 });
  for (const k of SQL_KEYWORDS) add({ label: k, type: 'keyword', boost: 0 });
  for (const f of SQL_FUNCTIONS) add({ label: f.name, type: 'function', detail: f.info, apply: `${f.name}(`, boost: -10 });
  return out;
}

/** `FROM sessions s`, `JOIN events AS e`: alias (lower case) → table name. */
export function tableAliases(doc: string, tables: readonly SchemaTable[]): Map<string, string> {
  const known = new Map(tables.map((t) => [t.name.toLowerCase(), t.name]));
  const out = new Map<string, string>();
  for (const m of doc.matchAll(/\b(?:FROM|JOIN)\s+([A-Za-z_]\w*)(?:\s+(?:AS\s+)?([A-Za-z_]\w*))?/gi)) {
    const table = known.get((m[1] ?? '').toLowerCase());
    const alias = (m[2] ?? '').toLowerCase();
    if (table && alias && !NOT_ALIASES.has(alias)) out.set(alias, table);
  }
  return out;
}

function columnsAfterDot(ctx: CompletionContext, tables: readonly SchemaTable[]): CompletionResult | null {
  const dotted = ctx.matchBefore(/[A-Za-z_]\w*\.\w*$/);
  if (!dotted) return null;
  const qualifier = (dotted.text.split('.')[0] ?? '').toLowerCase();
  const name = tableAliases(ctx.state.doc.toString(), tables).get(qualifier) ?? qualifier;
  const table = tables.find((t) => t.name.toLowerCase() === name);
  if (!table) return null;
  return {
    from: dotted.from + qualifier.length + 1,
    options: table.columns.map((c) => ({ label: c, type: 'property', detail: table.name })),
    validFor: /^\w*$/,
  };
}

export function sqlCompletionSource(tables: readonly SchemaTable[]): CompletionSource {
  const options = completionOptions(tables);
  return (ctx) => {
    const afterDot = columnsAfterDot(ctx, tables);
    if (afterDot) return afterDot;
    if (ctx.matchBefore(/\.\w*$/)) return null;
    const word = ctx.matchBefore(/\w+$/);
    if (!word && !ctx.explicit) return null;
    return { from: word?.from ?? ctx.pos, options, validFor: /^\w*$/ };
  };
}
