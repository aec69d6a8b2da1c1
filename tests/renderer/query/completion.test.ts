import { CompletionContext, type CompletionResult } from '@codemirror/autocomplete';
import { EditorState } from '@codemirror/state';
import { describe, expect, it } from 'vitest';
import { completionOptions, sqlCompletionSource, tableAliases, type SchemaTable } from '../../../renderer/panels/query/completion';

const TABLES: readonly SchemaTable[] = [
  { name: 'events', columns: ['eventTime', 'eventName', 'userIdentity_arn', 'sourceIPAddress'] },
  { name: 'created', columns: ['id', 'kind', 'subject'] },
  { name: 'sessions', columns: ['id', 'access_key', 'root_actor', 'events'] },
];

/** Completes at the `|` in `doc`, as CodeMirror would while typing (or on Ctrl+Space when explicit). */
async function complete(doc: string, explicit = false): Promise<CompletionResult | null> {
  const pos = doc.indexOf('|');
  const state = EditorState.create({ doc: doc.replace('|', '') });
  return sqlCompletionSource(TABLES)(new CompletionContext(state, pos, explicit));
}

describe('SQL completion', () => {
  it('ranks the events columns first, then tables, other columns, keywords and functions', () => {
    const opts = completionOptions(TABLES);
    const kinds = opts.map((o) => `${o.type}:${o.label}`);
    expect(kinds.slice(0, 4)).toEqual(['property:eventTime', 'property:eventName', 'property:userIdentity_arn', 'property:sourceIPAddress']);
    expect(kinds.slice(4, 7)).toEqual(['type:events', 'class:created', 'class:sessions']);
    expect(kinds).toContain('property:access_key');
    expect(kinds).toContain('keyword:GROUP BY');
    expect(opts.find((o) => o.label === 'json_extract')).toMatchObject({ type: 'function', apply: 'json_extract(' });
    // A name in two tables is offered once, with the events view's ranking.
    expect(opts.filter((o) => o.label.toLowerCase() === 'id')).toHaveLength(1);
    const boosts = opts.map((o) => o.boost ?? 0);
    expect([...boosts].sort((a, b) => b - a)).toEqual(boosts);
  });

  it('completes a word from where it starts', async () => {
    const r = await complete('SELECT eventN| FROM events');
    expect(r?.from).toBe(7);
    expect(r?.options.map((o) => o.label)).toContain('eventName');
  });

  it('stays quiet on empty space unless asked', async () => {
    expect(await complete('SELECT |')).toBeNull();
    expect((await complete('SELECT |', true))?.options.length).toBeGreaterThan(10);
  });

  it('offers only the columns of a qualified table or alias', async () => {
    const direct = await complete('SELECT sessions.ro| FROM sessions');
    expect(direct?.options.map((o) => o.label)).toEqual(['id', 'access_key', 'root_actor', 'events']);
    expect(direct?.from).toBe('SELECT sessions.'.length);
    const aliased = await complete('SELECT s.| FROM sessions AS s JOIN events e ON e.userIdentity_arn = s.root_actor');
    expect(aliased?.options.map((o) => o.label)).toEqual(['id', 'access_key', 'root_actor', 'events']);
    const other = await complete('SELECT e.| FROM sessions s JOIN events e ON 1');
    expect(other?.options.map((o) => o.label)).toContain('sourceIPAddress');
    expect(await complete('SELECT nothing.| FROM events')).toBeNull();
  });

  it('reads aliases, ignoring keywords that follow a table', () => {
    expect([...tableAliases('SELECT * FROM events WHERE 1', TABLES)]).toEqual([]);
    expect([...tableAliases('FROM events ev JOIN sessions AS s ON 1', TABLES)]).toEqual([['ev', 'events'], ['s', 'sessions']]);
  });
});
