/**
 * What the correlation panel follows: an entity of the contract (access key, principal, session
 * issuer, IP, user agent) or a session by its id. Pure helpers: what a typed text means, which
 * chain request and which filter clause a target maps to.
 */
import type { EntityKind } from '../../../shared/api';
import type { CorrelateBy } from '../../../shared/correlation';
import type { Filter, FilterField } from '../../../shared/domain';

export type TargetKind = EntityKind | 'session';
export interface Target {
  readonly kind: TargetKind;
  readonly value: string;
}

export const KIND_LABELS: Readonly<Record<TargetKind, string>> = {
  accessKey: 'Access key',
  principal: 'Principal',
  sessionIssuer: 'Session issuer',
  ip: 'Source IP',
  userAgent: 'User agent',
  session: 'Session',
};

/** The events column each entity kind is found in. */
export const ENTITY_FIELD: Readonly<Record<EntityKind, FilterField>> = {
  accessKey: 'userIdentity_accessKeyId',
  principal: 'userIdentity_arn',
  sessionIssuer: 'sessionIssuer_arn',
  ip: 'sourceIPAddress',
  userAgent: 'userAgent',
};

const IPV4 = /^(\d{1,3})(\.\d{1,3}){3}$/;
const IPV6 = /^[0-9a-f:]+$/i;
const KEY = /^(AKIA|ASIA|AROA|AIDA|ABIA|ACCA)[A-Z0-9]{4,}$/;

/** What the user typed in the search box: a key, an ARN, an IP, a session id (a number), or null. */
export function guessTarget(text: string): Target | null {
  const v = text.trim();
  if (v === '') return null;
  if (/^\d{1,15}$/.test(v)) return { kind: 'session', value: String(Number(v)) };
  if (KEY.test(v)) return { kind: 'accessKey', value: v };
  if (/^arn:aws[\w-]*:(iam|sts)::/.test(v)) return { kind: /:role\//.test(v) ? 'sessionIssuer' : 'principal', value: v };
  if (v.startsWith('arn:')) return { kind: 'principal', value: v };
  if (IPV4.test(v) || (v.includes(':') && IPV6.test(v))) return { kind: 'ip', value: v };
  return null;
}

/** The chain request for a target; user agents have no chain. */
export function chainRequest(t: Target): CorrelateBy | null {
  switch (t.kind) {
    case 'accessKey':
      return { accessKey: t.value };
    // A role ARN matches the sessions' role (see the engine's seeds): its sessions and who opened them.
    case 'principal':
    case 'sessionIssuer':
      return { principal: t.value };
    case 'ip':
      return { ip: t.value };
    case 'session': {
      const id = Number(t.value);
      return Number.isSafeInteger(id) && id >= 1 ? { session: id } : null;
    }
    case 'userAgent':
      return null;
  }
}

/** The filter that selects a target's own events; a session's are those signed by its key. */
export function targetFilter(t: Target, sessionKey: string | null): Filter | null {
  if (t.kind === 'session') return sessionKey === null ? null : clauseFilter('userIdentity_accessKeyId', sessionKey);
  return clauseFilter(ENTITY_FIELD[t.kind], t.value);
}

function clauseFilter(field: FilterField, value: string): Filter {
  return { clauses: [{ id: 'entity', field, values: [value], negate: false, enabled: true }] };
}

export function targetKey(t: Target | null): string | null {
  return t === null ? null : `${t.kind}:${t.value}`;
}
