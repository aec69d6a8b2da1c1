/**
 * Domain types both sides agree on. Plain data only: epoch-millisecond numbers, strings, arrays.
 * No Dates, Maps or class instances cross the boundary.
 */

/** Columns of the public `events` view that the UI can filter and facet on. */
export const FILTER_FIELDS = [
  'eventName',
  'eventSource',
  'userIdentity_userName',
  'userIdentity_accessKeyId',
  'resourceType',
  'resourceName',
  'readOnly',
  'eventID',
  'userIdentity_arn',
  'sourceIPAddress',
  'awsRegion',
  'recipientAccountId',
  'errorCode',
  'userAgent',
  'userIdentity_type',
  'userIdentity_accountId',
  'userIdentity_principalId',
  'sessionIssuer_arn',
  'eventType',
  'eventCategory',
  'sourceIdentity',
  'sharedEventID',
  'requestID',
] as const;
export type FilterField = (typeof FILTER_FIELDS)[number];

export function isFilterField(value: unknown): value is FilterField {
  return typeof value === 'string' && (FILTER_FIELDS as readonly string[]).includes(value);
}

/** Labels for the sidebar; the first eight are the CloudTrail console's Event History attributes. */
export const FIELD_LABELS: Readonly<Record<FilterField, string>> = {
  eventName: 'Event name',
  eventSource: 'Event source',
  userIdentity_userName: 'User name',
  userIdentity_accessKeyId: 'Access key',
  resourceType: 'Resource type',
  resourceName: 'Resource name',
  readOnly: 'Read-only',
  eventID: 'Event ID',
  userIdentity_arn: 'Principal ARN',
  sourceIPAddress: 'Source IP',
  awsRegion: 'Region',
  recipientAccountId: 'Account',
  errorCode: 'Error code',
  userAgent: 'User agent',
  userIdentity_type: 'Identity type',
  userIdentity_accountId: 'Identity account',
  userIdentity_principalId: 'Principal ID',
  sessionIssuer_arn: 'Session issuer',
  eventType: 'Event type',
  eventCategory: 'Event category',
  sourceIdentity: 'Source identity',
  sharedEventID: 'Shared event ID',
  requestID: 'Request ID',
};

/** One clause: field IN values (or NOT IN when negated). A null value means "field is absent". */
export interface FilterClause {
  readonly id: string;
  readonly field: FilterField;
  readonly values: readonly (string | null)[];
  readonly negate: boolean;
  readonly enabled: boolean;
}

export interface TimeRange {
  /** Inclusive, epoch ms UTC. */
  readonly fromMs: number;
  /** Exclusive, epoch ms UTC. */
  readonly toMs: number;
}

export interface Filter {
  readonly clauses: readonly FilterClause[];
  /** Free text searched in the original record (case-insensitive substring). */
  readonly text?: string;
  readonly range?: TimeRange;
}

export const EMPTY_FILTER: Filter = { clauses: [] };

export type SortDir = 'asc' | 'desc';
/** Columns the events table can sort by. */
export const SORT_FIELDS = ['eventTimeMs', 'eventName', 'eventSource', 'userIdentity_arn', 'sourceIPAddress', 'awsRegion', 'recipientAccountId', 'errorCode', 'userIdentity_userName', 'userIdentity_accessKeyId', 'userAgent', 'userIdentity_type', 'eventType'] as const;
export type SortField = (typeof SORT_FIELDS)[number];
export interface Sort {
  readonly field: SortField;
  readonly dir: SortDir;
}

/** A row of the events table as the UI sees it: view column name → value. `rowId` is the store's key. */
export interface EventRow {
  readonly rowId: number;
  readonly eventTimeMs: number;
  readonly eventID: string;
  readonly eventName: string | null;
  readonly eventSource: string | null;
  readonly eventType: string | null;
  readonly awsRegion: string | null;
  readonly sourceIPAddress: string | null;
  readonly userAgent: string | null;
  readonly errorCode: string | null;
  readonly errorMessage: string | null;
  readonly readOnly: number | null;
  readonly recipientAccountId: string | null;
  readonly userIdentity_type: string | null;
  readonly userIdentity_arn: string | null;
  readonly userIdentity_userName: string | null;
  readonly userIdentity_accessKeyId: string | null;
  readonly userIdentity_accountId: string | null;
  readonly sessionIssuer_arn: string | null;
  readonly sourceIdentity: string | null;
  readonly source_file: string | null;
  readonly source_index: number | null;
}

export interface CountByValue {
  readonly value: string | null;
  readonly count: number;
}

export interface CaseSummary {
  /** Path of the saved case file, or null for an unsaved case. */
  readonly path: string | null;
  readonly events: number;
  readonly sources: number;
  readonly rejects: number;
  readonly firstMs: number | null;
  readonly lastMs: number | null;
  readonly accounts: readonly CountByValue[];
  readonly regions: readonly CountByValue[];
  readonly topEventNames: readonly CountByValue[];
  readonly dirty: boolean;
}

/** Kinds of input file, decided by content. */
export type SourceKind =
  | 'cloudtrail-log'
  | 'cloudtrail-insights'
  | 'lookup-events'
  | 'eventbridge'
  | 'cloudwatch-logs'
  | 'json-records'
  | 'digest'
  | 'config-check'
  | 'logs-write-test'
  | 'zip'
  | 'tar'
  | 'directory-marker'
  | 'empty'
  | 'unknown-json'
  | 'not-json'
  | 'unsupported'
  | 'unreadable';

export interface SourceRow {
  readonly id: number;
  readonly path: string;
  readonly parentId: number | null;
  readonly size: number;
  readonly sha256: string | null;
  readonly kind: SourceKind;
  readonly records: number;
  readonly imported: number;
  readonly duplicates: number;
  readonly rejects: number;
  /** Why a file was skipped or only partly read (truncated gzip, inflate cap, …); null when clean. */
  readonly note: string | null;
}

export interface RejectRow {
  readonly sourceId: number;
  readonly path: string;
  /** Index of the record within its file; -1 for a file-level problem. */
  readonly index: number;
  readonly reason: string;
  /** The first bytes of the rejected record, as text. */
  readonly excerpt: string | null;
}

/** The import report; the CLI prints this shape with `--json`. */
export interface ImportReport {
  readonly files: {
    readonly seen: number;
    readonly imported: number;
    readonly skipped: readonly { readonly path: string; readonly reason: string }[];
  };
  readonly records: {
    readonly seen: number;
    readonly imported: number;
    readonly duplicates: number;
    readonly rejected: number;
    /** Records that had no eventID and got a synthetic one (`cairn:` + hash of the record). */
    readonly syntheticIds: number;
  };
  /** The first 1000 rejects. */
  readonly rejects: readonly { readonly path: string; readonly index: number; readonly reason: string }[];
  readonly timeRange: { readonly first: string | null; readonly last: string | null };
  readonly elapsedMs: number;
  readonly cancelled: boolean;
}

export interface ImportProgress {
  readonly importId: string;
  readonly filesDone: number;
  /** Files found so far (grows while archives are read). */
  readonly filesSeen: number;
  readonly records: number;
  readonly rejects: number;
  readonly bytesRead: number;
  readonly elapsedMs: number;
  readonly phase: 'reading' | 'indexing' | 'done';
}
