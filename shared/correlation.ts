/**
 * Correlation results as both sides see them: the chain from a root actor through every session to
 * the events (`correlate:chain`, `cairn correlate --json`). Plain data: ISO strings, numbers, arrays.
 */
export type CorrelateBy = { readonly accessKey: string } | { readonly principal: string } | { readonly ip: string } | { readonly session: number };

export interface SessionView {
  readonly id: number;
  readonly accessKey: string;
  readonly issueCall: string | null;
  readonly issuedAt: string | null;
  readonly issuerArn: string | null;
  readonly issuerKey: string | null;
  readonly parentId: number | null;
  readonly depth: number;
  readonly rootActor: string | null;
  readonly rootKind: string;
  readonly roleArn: string | null;
  readonly sessionName: string | null;
  readonly principalArn: string | null;
  readonly sourceIp: string | null;
  readonly userAgent: string | null;
  readonly events: number;
  readonly firstSeen: string | null;
  readonly lastSeen: string | null;
  readonly accounts: readonly string[];
  readonly regions: readonly string[];
}

export interface Correlation {
  /** The root actors behind what was asked about ("issuer unknown" when a chain starts outside the evidence). */
  readonly roots: readonly { readonly actor: string | null; readonly kind: string }[];
  /** Sessions involved, parents before children. */
  readonly sessions: readonly SessionView[];
  /** Credentials created in the evidence window that belong to the chain. */
  readonly created: readonly { readonly kind: string; readonly subject: string; readonly creatorArn: string | null; readonly at: string }[];
  readonly accessKeys: readonly string[];
  readonly accounts: readonly string[];
  readonly ips: readonly string[];
  readonly eventNames: readonly { readonly name: string; readonly count: number }[];
  readonly events: number;
  /**
   * "Firsts" of the chain's events: when each source IP, user agent, region and API was first used,
   * oldest first. A new IP or agent in the middle of a session is what an investigator looks for.
   */
  readonly firsts: Readonly<Record<'ip' | 'userAgent' | 'region' | 'eventName', readonly { readonly value: string; readonly first: string; readonly events: number }[]>>;
}
