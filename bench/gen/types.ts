/** Shapes shared by the planner, the operation catalogue and the renderer. */
import type { Rng } from './rng';
import type { Account, World } from './world';

/** Who made a call. One actor per session (or per long-term key, or per service). */
export const KIND = { user: 0, userConsole: 1, role: 2, rootConsole: 3, service: 4 } as const;

export interface Actor {
  readonly kind: number;
  /** Account index the identity belongs to. */
  readonly acct: number;
  readonly user: number;
  readonly role: number;
  /** Index in the actor table; also what the session's access key is derived from. */
  readonly id: number;
  readonly session: string;
  readonly createdMs: number;
  readonly mfa: boolean;
  readonly ip: string;
  readonly agent: string;
  readonly region: number;
  /** The AWS service acting (AWSService identity, or the service behind a service-driven role session). */
  readonly service: string | null;
  readonly ec2: boolean;
  /** Function index for Lambda execution-role sessions, else -1. */
  readonly fn: number;
  readonly sourceIdentity: string | null;
  /** The actor whose credentials called AssumeRole for this session, or -1. */
  readonly parent: number;
}

/** Per-event flags set by the planner. */
export const FLAG = {
  errorMask: 3,
  denied: 1,
  throttled: 2,
  failed: 3,
  /** The resource owner's copy of a cross-account call (identity is AWSAccount). */
  ownerCopy: 4,
  /** A KMS call made on the caller's behalf by S3 (SSE-KMS). */
  viaS3: 8,
  /** A failed console sign-in. */
  loginFailed: 16,
} as const;

/** The rendered parts of a record that depend on the operation. */
export interface Body {
  readonly req: unknown;
  readonly resp?: unknown;
  readonly add?: unknown;
  readonly res?: readonly unknown[];
  readonly sed?: unknown;
}

export interface Ctx {
  readonly rng: Rng;
  readonly w: World;
  /** Recipient account. */
  readonly a: Account;
  readonly region: string;
  readonly actor: Actor;
  /** Account the actor belongs to. */
  readonly actorAcct: Account;
  readonly t: number;
  readonly aux: number;
  readonly flags: number;
  readonly actors: readonly Actor[];
  /** The caller's ARN (for error messages). */
  readonly arn: string;
}

export interface OpDef {
  readonly name: string;
  readonly source: string;
  /** Global services log to us-east-1. */
  readonly global?: boolean;
  readonly readOnly: boolean;
  readonly data?: boolean;
  readonly eventType?: string;
  /** Errors may be injected (not for service-generated events). */
  readonly noErrors?: boolean;
  /** The aws-cli command name (for its user agent). */
  readonly cli?: string;
  readonly body: (c: Ctx) => Body;
}
