/**
 * What happens in the synthetic organisation: CLI users, AssumeRole sessions (cross-account, chained),
 * EC2 and Lambda workloads, console sign-ins, AWS services, and now and then someone probing with a
 * stolen key. Each activity appends a burst of events to the plan.
 */
import { MIX, type Mix, OP } from './ops';
import type { PlanBuilder } from './plan';
import { FLAG, KIND, type Actor } from './types';
import { BROWSER_AGENTS, CLI_AGENTS, ROLE, WORKLOAD_AGENTS } from './world';

function userActor(b: PlanBuilder, acct: number, u: number): Actor {
  return b.cachedActor(`user:${acct}:${u}`, () => {
    const usr = b.w.accounts[acct]?.users[u];
    return {
      kind: KIND.user, acct, user: u, role: -1, session: usr?.name ?? 'user', createdMs: 0, mfa: false, ip: usr?.ip ?? '203.0.113.7',
      agent: CLI_AGENTS[usr?.agent ?? 0] ?? '', region: usr?.region ?? 0, service: null, ec2: false, fn: -1, sourceIdentity: null, parent: -1,
    };
  });
}

function serviceActor(b: PlanBuilder, service: string): Actor {
  return b.cachedActor(`svc:${service}`, () => ({
    kind: KIND.service, acct: 0, user: -1, role: -1, session: service, createdMs: 0, mfa: false, ip: service, agent: service, region: 0,
    service, ec2: false, fn: -1, sourceIdentity: null, parent: -1,
  }));
}

/** A run of calls by one actor, starting at `t`; returns the time after the last call (or -1 when full). */
function calls(b: PlanBuilder, actor: Actor, acct: number, region: number, t0: number, count: number, mixes: readonly Mix[], weights: readonly number[]): number {
  let t = t0;
  for (let k = 0; k < count; k++) {
    t += b.gap();
    const op = b.pickOp(mixes[b.rng.weighted(weights)] ?? MIX.cliRead);
    if (!b.emit(t, acct, region, op, actor)) return -1;
    if ((op === OP.getObject || op === OP.putObject) && b.rng.chance(0.15)) {
      if (!b.emit(t, acct, region, OP.decrypt, actor, { flags: FLAG.viaS3 })) return -1;
    }
  }
  return t;
}

function otherAccount(b: PlanBuilder, not: number): number {
  const n = b.w.accounts.length;
  if (n < 2) return not;
  return (not + 1 + b.rng.int(n - 1)) % n;
}

/** An AssumeRole call (and the role owner's copy when it crosses accounts); returns the new session. */
function assume(b: PlanBuilder, caller: Actor, callerAcct: number, target: { acct: number; role: number; session: string }, t: number, region: number, extra: Partial<Actor> = {}): Actor | null {
  const issued = b.addActor({
    kind: KIND.role, acct: target.acct, user: -1, role: target.role, session: target.session, createdMs: Math.floor(t / 1000) * 1000,
    mfa: caller.mfa, ip: caller.kind === KIND.service ? `${3 + b.rng.int(50)}.${b.rng.int(256)}.${b.rng.int(256)}.${1 + b.rng.int(254)}` : caller.ip,
    agent: caller.kind === KIND.service ? b.rng.pick(WORKLOAD_AGENTS) : caller.agent, region, service: null, ec2: false, fn: -1,
    sourceIdentity: caller.sourceIdentity, parent: caller.id, ...extra,
  });
  const cross = target.acct !== callerAcct;
  const sharedId = cross ? b.nextShared() : -1;
  if (!b.emit(t, callerAcct, region, OP.assumeRole, caller, { aux: issued.id, shared: sharedId, flags: 0 })) return null;
  if (cross && !b.emit(t, target.acct, region, OP.assumeRole, caller, { aux: issued.id, shared: sharedId, flags: FLAG.ownerCopy })) return null;
  return issued;
}

function cliUser(b: PlanBuilder): void {
  const a = b.rng.int(b.w.accounts.length);
  const actor = userActor(b, a, b.rng.int(8));
  const region = b.rng.chance(0.7) ? actor.region : b.homeRegion();
  calls(b, actor, a, region, b.startTime(), b.rng.range(3, 40), [MIX.cliRead, MIX.cliWrite], [85, 15]);
}

function roleSession(b: PlanBuilder, caller: Actor, callerAcct: number, t0: number, depth: number): void {
  const cross = b.rng.chance(depth > 0 ? 0.9 : 0.45);
  const acct = cross ? otherAccount(b, callerAcct) : callerAcct;
  const role = [ROLE.orgAccess, ROLE.admin, ROLE.auditor, ROLE.deploy, ROLE.security][b.rng.weighted([3, 2, 3, 3, 1])] ?? ROLE.admin;
  const name = b.rng.pick([caller.session, `${caller.session}-${Math.floor(t0 / 1000)}`, `botocore-session-${Math.floor(t0 / 1000)}`, 'terraform-run', 'aws-go-sdk-' + String(Math.floor(t0))]);
  const region = caller.region;
  const stsRegion = b.rng.chance(0.7) ? 0 : region;
  const issued = assume(b, caller, callerAcct, { acct, role, session: name }, t0, stsRegion, {
    sourceIdentity: caller.sourceIdentity ?? (depth === 0 && b.rng.chance(0.2) ? caller.session : null),
    mfa: b.rng.chance(0.3),
    region,
  });
  if (!issued) return;
  const count = b.rng.range(5, depth > 0 ? 25 : 40);
  const chainAt = depth === 0 && b.rng.chance(0.15) ? b.rng.int(count) : -1;
  let t = t0;
  for (let k = 0; k < count && t >= 0; k++) {
    if (k === chainAt) roleSession(b, issued, acct, t + b.gap(), depth + 1);
    t = calls(b, issued, acct, region, t, 1, [MIX.cliRead, MIX.cliWrite, MIX.workload], [60, 10, 30]);
  }
}

function assumeRoleActivity(b: PlanBuilder): void {
  const a = b.rng.int(b.w.accounts.length);
  roleSession(b, userActor(b, a, b.rng.int(8)), a, b.startTime(), 0);
}

function workload(b: PlanBuilder, service: 'ec2.amazonaws.com' | 'lambda.amazonaws.com'): void {
  const a = b.rng.int(b.w.accounts.length);
  const account = b.w.accounts[a];
  if (!account) return;
  const region = b.homeRegion();
  const ec2 = service === 'ec2.amazonaws.com';
  const fn = ec2 ? -1 : b.rng.int(account.functions.length);
  const session = ec2 ? b.rng.pick(account.instances) : account.functions[fn] ?? 'fn';
  const t0 = b.startTime();
  const issued = assume(b, serviceActor(b, service), a, { acct: a, role: ec2 ? ROLE.ec2 : ROLE.lambda, session }, t0, region, { ec2, fn, region });
  if (issued) calls(b, issued, a, region, t0, ec2 ? b.rng.range(10, 50) : b.rng.range(5, 30), [MIX.workload], [1]);
}

function consoleSession(b: PlanBuilder): void {
  const a = b.rng.int(b.w.accounts.length);
  const u = b.rng.int(5);
  const usr = b.w.accounts[a]?.users[u];
  const who = b.rng.weighted([60, 30, 10]);
  const t0 = b.startTime();
  const sso = who === 1;
  const actor = b.addActor({
    kind: who === 0 ? KIND.userConsole : sso ? KIND.role : KIND.rootConsole, acct: a, user: u, role: sso ? (b.rng.chance(0.5) ? ROLE.ssoAdmin : ROLE.ssoRead) : -1,
    session: sso ? `${usr?.name ?? 'user'}@example.com` : usr?.name ?? 'user', createdMs: Math.floor(t0 / 1000) * 1000, mfa: who === 2 || b.rng.chance(0.6),
    ip: usr?.ip ?? '203.0.113.7', agent: b.rng.pick(BROWSER_AGENTS), region: usr?.region ?? 0, service: null, ec2: false, fn: -1, sourceIdentity: null, parent: -1,
  });
  let t = t0;
  if (b.rng.chance(0.08)) {
    for (let k = b.rng.range(1, 3); k > 0; k--) if (!b.emit((t -= 20_000), a, 0, OP.consoleLogin, actor, { flags: FLAG.loginFailed })) return;
    t = t0;
    if (b.rng.chance(0.5)) return;
  }
  if (!b.emit(t, a, 0, OP.consoleLogin, actor, { flags: 0 })) return;
  calls(b, actor, a, actor.region, t, b.rng.range(5, 40), [MIX.console], [1]);
}

function serviceActivity(b: PlanBuilder): void {
  const a = b.rng.int(b.w.accounts.length);
  const t0 = b.startTime();
  if (b.rng.chance(0.25)) {
    b.emit(t0, a, b.homeRegion(), OP.rotateKey, serviceActor(b, 'kms.amazonaws.com'), { flags: 0 });
    return;
  }
  const actor = b.addActor({
    kind: KIND.role, acct: a, user: -1, role: ROLE.config, session: 'AWSConfig-Describe', createdMs: Math.floor(t0 / 1000) * 1000 - 600_000, mfa: false,
    ip: 'config.amazonaws.com', agent: 'config.amazonaws.com', region: b.homeRegion(), service: 'config.amazonaws.com', ec2: false, fn: -1, sourceIdentity: null, parent: -1,
  });
  calls(b, actor, a, actor.region, t0, b.rng.range(10, 40), [MIX.config], [1]);
}

/** A leaked long-term key used from outside: mostly denied calls and failed AssumeRole attempts. */
function probe(b: PlanBuilder): void {
  const a = b.rng.int(b.w.accounts.length);
  const u = b.rng.int(8);
  const base = userActor(b, a, u);
  const actor = b.addActor({ ...base, ip: b.rng.pick(b.w.outsideIps), agent: 'aws-cli/1.32.0 Python/3.9.18 Linux/5.15.0-97-generic botocore/1.34.0' });
  let t = b.startTime();
  for (let k = b.rng.range(10, 30); k > 0; k--) {
    t += 2000 + b.rng.exp(5000);
    const attempt = b.rng.chance(0.2);
    const op = attempt ? OP.assumeRole : b.pickOp(MIX.cliRead);
    const flags = attempt || b.rng.chance(0.6) ? FLAG.denied : b.errorFlags(op);
    if (!b.emit(t, a, actor.region, op, actor, { aux: -1, flags })) return;
  }
}

const ACTIVITIES: readonly ((b: PlanBuilder) => void)[] = [
  cliUser,
  assumeRoleActivity,
  (b) => workload(b, 'ec2.amazonaws.com'),
  (b) => workload(b, 'lambda.amazonaws.com'),
  consoleSession,
  serviceActivity,
  probe,
];
const WEIGHTS = [36, 18, 11, 8, 10, 8, 1];

export function fillPlan(b: PlanBuilder): void {
  while (!b.full) {
    const f = ACTIVITIES[b.rng.weighted(WEIGHTS)];
    if (f) f(b);
  }
}
