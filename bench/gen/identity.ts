/** `userIdentity` objects and the keys and ARNs derived from an actor. */
import { uniqueBase32 } from './rng';
import { KIND, type Actor } from './types';
import { type World, acct, role, user } from './world';

/** The temporary key of a session: a bijection of the actor id, so keys never collide. */
export function sessionKey(w: World, id: number): string {
  return `ASIA${uniqueBase32(id, w.seed ^ 0x5e55)}`;
}

export function isoSeconds(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

export function actorArn(w: World, a: Actor): string {
  const account = acct(w, a.acct);
  switch (a.kind) {
    case KIND.user:
    case KIND.userConsole:
      return `arn:aws:iam::${account.id}:user/${user(account, a.user).name}`;
    case KIND.role:
      return `arn:aws:sts::${account.id}:assumed-role/${role(account, a.role).name}/${a.session}`;
    case KIND.rootConsole:
      return `arn:aws:iam::${account.id}:root`;
    default:
      return `arn:aws:iam::${account.id}:root`;
  }
}

export function actorKey(w: World, a: Actor): string | null {
  if (a.kind === KIND.user) return user(acct(w, a.acct), a.user).akia;
  if (a.kind === KIND.service) return null;
  return sessionKey(w, a.id);
}

export function principalId(w: World, a: Actor): string {
  const account = acct(w, a.acct);
  if (a.kind === KIND.role) return `${role(account, a.role).aroa}:${a.session}`;
  if (a.kind === KIND.rootConsole) return account.id;
  return user(account, a.user).aida;
}

function sessionContext(w: World, a: Actor): Record<string, unknown> {
  const attributes = { creationDate: isoSeconds(a.createdMs), mfaAuthenticated: a.mfa ? 'true' : 'false' };
  if (a.kind !== KIND.role) return { sessionIssuer: {}, webIdFederationData: {}, attributes };
  const account = acct(w, a.acct);
  const r = role(account, a.role);
  const ctx: Record<string, unknown> = {
    sessionIssuer: { type: 'Role', principalId: r.aroa, arn: r.arn, accountId: account.id, userName: r.name },
    webIdFederationData: {},
    attributes,
  };
  if (a.sourceIdentity) ctx['sourceIdentity'] = a.sourceIdentity;
  if (a.ec2) ctx['ec2RoleDelivery'] = '2.0';
  return ctx;
}

/** The identity as the caller's account records it. */
export function userIdentity(w: World, a: Actor, invokedBy: string | null): Record<string, unknown> {
  if (a.kind === KIND.service) return { type: 'AWSService', invokedBy: a.service ?? 'AWS Internal' };
  const account = acct(w, a.acct);
  const base: Record<string, unknown> = {
    type: a.kind === KIND.role ? 'AssumedRole' : a.kind === KIND.rootConsole ? 'Root' : 'IAMUser',
    principalId: principalId(w, a),
    arn: actorArn(w, a),
    accountId: account.id,
    accessKeyId: actorKey(w, a),
  };
  if (a.kind === KIND.user || a.kind === KIND.userConsole) base['userName'] = user(account, a.user).name;
  if (a.kind !== KIND.user) base['sessionContext'] = sessionContext(w, a);
  if (a.kind === KIND.role && a.fn >= 0) {
    const fn = `arn:aws:lambda:${w.regions[a.region] ?? 'us-east-1'}:${account.id}:function:${account.functions[a.fn] ?? 'fn'}`;
    base['inScopeOf'] = { issuerType: 'AWS::Lambda::Function', credentialsIssuedTo: fn };
  }
  if (invokedBy) base['invokedBy'] = invokedBy;
  return base;
}

/** The identity as the resource owner's account records a cross-account call. */
export function ownerCopyIdentity(w: World, a: Actor): Record<string, unknown> {
  return { type: 'AWSAccount', principalId: principalId(w, a), accountId: acct(w, a.acct).id };
}
