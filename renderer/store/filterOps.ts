/**
 * Pure helpers over filter clauses (the pills): adding a value merges it into the clause of the same
 * field and polarity, so "include A" then "include B" reads as one pill "Event name: A, B".
 */
import type { Filter, FilterClause, FilterField, TimeRange } from '../../shared/domain';
import { FIELD_LABELS } from '../../shared/domain';
import { formatUtc, reveal } from '../format';

export function addValue(clauses: readonly FilterClause[], field: FilterField, value: string | null, negate: boolean, newId: () => string): FilterClause[] {
  const i = clauses.findIndex((c) => c.field === field && c.negate === negate && c.enabled);
  const existing = i >= 0 ? clauses[i] : undefined;
  // The opposite clause for the same value would contradict the new one: drop the value there.
  const cleaned = clauses
    .map((c) => (c.field === field && c.negate !== negate ? { ...c, values: c.values.filter((v) => v !== value) } : c))
    .filter((c) => c.values.length > 0);
  if (!existing) return [...cleaned, { id: newId(), field, values: [value], negate, enabled: true }];
  if (existing.values.includes(value)) return cleaned;
  return cleaned.map((c) => (c.id === existing.id ? { ...c, values: [...c.values, value] } : c));
}

export function toggleClause(clauses: readonly FilterClause[], id: string): FilterClause[] {
  return clauses.map((c) => (c.id === id ? { ...c, enabled: !c.enabled } : c));
}

export function negateClause(clauses: readonly FilterClause[], id: string): FilterClause[] {
  return clauses.map((c) => (c.id === id ? { ...c, negate: !c.negate } : c));
}

export function removeClause(clauses: readonly FilterClause[], id: string): FilterClause[] {
  return clauses.filter((c) => c.id !== id);
}

export function removeValue(clauses: readonly FilterClause[], id: string, value: string | null): FilterClause[] {
  return clauses.map((c) => (c.id === id ? { ...c, values: c.values.filter((v) => v !== value) } : c)).filter((c) => c.values.length > 0);
}

/** The Filter the engine receives: disabled clauses stay out, an empty search is no search. */
export function toFilter(clauses: readonly FilterClause[], text: string, range: TimeRange | null): Filter {
  const enabled = clauses.filter((c) => c.enabled && c.values.length > 0);
  const t = text.trim();
  return { clauses: enabled, ...(t ? { text: t } : {}), ...(range ? { range } : {}) };
}

/** A stable key for fetches that depend on the filter (clause ids do not change the result). */
export function filterKey(f: Filter): string {
  const clauses = f.clauses.map((c) => [c.field, c.negate, [...c.values].sort()]);
  return JSON.stringify([clauses, f.text ?? '', f.range ? [f.range.fromMs, f.range.toMs] : null]);
}

export function valueLabel(v: string | null): string {
  return v === null ? '(absent)' : v === '' ? '(empty)' : reveal(v);
}

export function clauseLabel(c: FilterClause): { readonly field: string; readonly op: string; readonly values: string } {
  const many = c.values.length > 1;
  const op = c.negate ? (many ? 'is not one of' : 'is not') : many ? 'is one of' : 'is';
  return { field: FIELD_LABELS[c.field], op, values: c.values.map(valueLabel).join(', ') };
}

export function rangeLabel(r: TimeRange): string {
  return `${formatUtc(r.fromMs)} → ${formatUtc(r.toMs)}`;
}
