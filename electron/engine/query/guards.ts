/**
 * Small hand-written guards for API payloads. Requests arrive from a renderer (or a browser tab in
 * web mode) and are untrusted: each guard checks one value and throws a 'bad-request' EngineError
 * that names the field, so the caller learns exactly what was wrong. Guards return fresh values
 * built from the checked parts only, so extra properties never reach the engine.
 */
import { FILTER_FIELDS, type Filter, type FilterClause, SORT_FIELDS, type Sort, type TimeRange, isFilterField } from '../../../shared/domain';
import { EngineError } from '../errors';

/** Largest epoch-ms value a JS Date accepts; bounds every time in a request. */
export const MAX_TIME_MS = 8_640_000_000_000_000;
const MAX_ID_CHARS = 200;
const MAX_VALUE_CHARS = 4096;
/** 30 × 1000 values stay under SQLite's 32 766 bound parameters per statement. */
const MAX_CLAUSES = 30;
const MAX_CLAUSE_VALUES = 1000;
const MAX_TEXT_CHARS = 1000;

export function bad(field: string, why: string): EngineError {
  return new EngineError('bad-request', `${field}: ${why}`);
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

export function obj(v: unknown, field: string): Record<string, unknown> {
  if (!isPlainObject(v)) throw bad(field, 'expected an object');
  return v;
}

/** An empty request: `{}` (or nothing at all, which a bare call sends). */
export function empty(v: unknown, field: string): Record<string, never> {
  if (v !== undefined && v !== null) obj(v, field);
  return {};
}

export function int(v: unknown, field: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw bad(field, 'expected an integer');
  if (v < min || v > max) throw bad(field, `must be between ${min} and ${max}`);
  return v;
}

export function str(v: unknown, field: string, maxChars: number, allowEmpty = false): string {
  if (typeof v !== 'string') throw bad(field, 'expected a string');
  if (!allowEmpty && v.length === 0) throw bad(field, 'must not be empty');
  if (v.length > maxChars) throw bad(field, `longer than ${maxChars} characters`);
  return v;
}

export function oneOf<T extends string>(v: unknown, field: string, values: readonly T[]): T {
  if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) throw bad(field, `expected one of ${values.join(', ')}`);
  return v as T;
}

export function arr(v: unknown, field: string, maxItems: number): readonly unknown[] {
  if (!Array.isArray(v)) throw bad(field, 'expected an array');
  if (v.length > maxItems) throw bad(field, `more than ${maxItems} items`);
  return v;
}

export function time(v: unknown, field: string): number {
  return int(v, field, -MAX_TIME_MS, MAX_TIME_MS);
}

function clause(v: unknown, field: string): FilterClause {
  const o = obj(v, field);
  if (!isFilterField(o['field'])) throw bad(`${field}.field`, `expected one of ${FILTER_FIELDS.join(', ')}`);
  const values = arr(o['values'], `${field}.values`, MAX_CLAUSE_VALUES).map((x, i) =>
    x === null ? null : str(x, `${field}.values[${i}]`, MAX_VALUE_CHARS, true),
  );
  if (typeof o['negate'] !== 'boolean') throw bad(`${field}.negate`, 'expected a boolean');
  if (typeof o['enabled'] !== 'boolean') throw bad(`${field}.enabled`, 'expected a boolean');
  return { id: str(o['id'], `${field}.id`, MAX_ID_CHARS, true), field: o['field'], values, negate: o['negate'], enabled: o['enabled'] };
}

export function timeRange(v: unknown, field: string): TimeRange {
  const o = obj(v, field);
  const fromMs = time(o['fromMs'], `${field}.fromMs`);
  const toMs = time(o['toMs'], `${field}.toMs`);
  if (toMs < fromMs) throw bad(`${field}.toMs`, 'is before fromMs');
  return { fromMs, toMs };
}

export function filter(v: unknown, field: string): Filter {
  const o = obj(v, field);
  const clauses = arr(o['clauses'], `${field}.clauses`, MAX_CLAUSES).map((c, i) => clause(c, `${field}.clauses[${i}]`));
  const out: { clauses: FilterClause[]; text?: string; range?: TimeRange } = { clauses };
  if (o['text'] !== undefined && o['text'] !== null) out.text = str(o['text'], `${field}.text`, MAX_TEXT_CHARS, true);
  if (o['range'] !== undefined && o['range'] !== null) out.range = timeRange(o['range'], `${field}.range`);
  return out;
}

export function sort(v: unknown, field: string): Sort {
  const o = obj(v, field);
  return { field: oneOf(o['field'], `${field}.field`, SORT_FIELDS), dir: oneOf(o['dir'], `${field}.dir`, ['asc', 'desc'] as const) };
}
