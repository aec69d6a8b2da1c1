/**
 * The API contract between the renderer and the engine, whatever the transport (Electron IPC, the
 * web mode's WebSocket) — and what the CLI calls directly. One map from call name to request and
 * response, one map of push events. The engine's handler object is typed against `ApiCalls`, so a
 * missing call does not compile; the preload exposes one function per name in `API_CALLS`.
 */
import type {
  CaseSummary,
  CountByValue,
  EventRow,
  Filter,
  FilterField,
  ImportProgress,
  ImportReport,
  RejectRow,
  Sort,
  SourceRow,
} from './domain';
import type { CorrelateBy, Correlation } from './correlation';

export type ApiError = { readonly code: ApiErrorCode; readonly message: string };
export type ApiErrorCode = 'bad-request' | 'not-found' | 'sql-error' | 'io-error' | 'busy' | 'internal' | 'cancelled' | 'unsupported';
export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ApiError };

export interface TimelineBucket {
  /** Bucket start, epoch ms. */
  readonly t: number;
  /** Count per series, in the order of `series`. */
  readonly counts: readonly number[];
}

export type StackBy = 'outcome' | 'readOnly' | 'eventCategory' | 'none';

export interface SqlResult {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly (string | number | null)[])[];
  readonly truncated: boolean;
  readonly elapsedMs: number;
}

export type EntityKind = 'accessKey' | 'principal' | 'sessionIssuer' | 'ip' | 'userAgent';

export interface EntitySummary {
  readonly kind: EntityKind;
  readonly value: string;
  readonly events: number;
  readonly firstMs: number | null;
  readonly lastMs: number | null;
  readonly eventNames: readonly CountByValue[];
  /** Other entities seen on the same events, by kind. */
  readonly related: readonly { readonly kind: EntityKind; readonly values: readonly CountByValue[] }[];
}

/** What an open dialog is for. Evidence may be files (logs, archives) or folders (an AWSLogs tree). */
export type OpenPurpose = 'evidence-files' | 'evidence-folder' | 'case';
export type SavePurpose = 'case' | 'export';

/** Commands the desktop app's native menu sends to the renderer (push `menu:command`). */
export type MenuCommand = 'open-evidence-files' | 'open-evidence-folder' | 'open-case' | 'open-recent' | 'save-case' | 'save-case-as' | 'export' | 'new-case';

export interface ApiCalls {
  'case:summary': { req: Record<string, never>; res: CaseSummary };
  'case:open': { req: { path: string }; res: CaseSummary };
  'case:save': { req: { path: string }; res: { path: string; bytes: number } };
  'case:new': { req: Record<string, never>; res: CaseSummary };
  'import:start': { req: { paths: readonly string[] }; res: { importId: string } };
  'import:cancel': { req: { importId: string }; res: { cancelled: boolean } };
  'sources:list': { req: { offset: number; limit: number }; res: { rows: readonly SourceRow[]; total: number } };
  'rejects:list': { req: { offset: number; limit: number }; res: { rows: readonly RejectRow[]; total: number } };
  'events:page': {
    req: { filter: Filter; sort: Sort; offset: number; limit: number };
    res: { rows: readonly EventRow[]; total: number; elapsedMs: number };
  };
  /**
   * One event with its original record, and `copies`: the same action as recorded for the other
   * accounts involved (same `sharedEventID`, a different eventID) — one action, several views.
   */
  'event:get': { req: { rowId: number }; res: { row: EventRow; raw: string; copies: readonly EventRow[] } };
  /**
   * Counts per bucket `[fromMs + k·bucketMs, +bucketMs)` under the filter (whose own range also
   * applies). Empty buckets are omitted. Series: outcome → success, error; readOnly → read, write,
   * unknown; eventCategory → the categories present, largest first, `(none)` for events without one.
   */
  'timeline:buckets': {
    req: { filter: Filter; fromMs: number; toMs: number; bucketMs: number; stackBy: StackBy };
    res: { series: readonly string[]; buckets: readonly TimelineBucket[]; elapsedMs: number };
  };
  /** Top values of a field under the filter; events without the field count as the value null. */
  'facets:top': {
    req: { filter: Filter; field: FilterField; limit: number };
    res: { values: readonly CountByValue[]; elapsedMs: number };
  };
  'sql:run': { req: { sql: string; maxRows: number }; res: SqlResult };
  'sql:schema': { req: Record<string, never>; res: { tables: readonly { name: string; columns: readonly string[] }[] } };
  'correlate:entity': { req: { kind: EntityKind; value: string; filter: Filter }; res: EntitySummary };
  /**
   * Writes the filtered, sorted events to a new file: csv (the table's columns plus eventTime, cells
   * escaped against formula injection), json (one array of those rows) or jsonl (the original
   * records, one per line). Refuses to overwrite evidence or the open case.
   */
  'export:events': {
    req: { filter: Filter; sort: Sort; format: 'csv' | 'json' | 'jsonl'; path: string };
    res: { path: string; rows: number };
  };
  /** The chain from the root actor through every session to the events (what `cairn correlate` prints). */
  'correlate:chain': { req: { by: CorrelateBy }; res: Correlation };
  /** Which face the renderer runs in. */
  'app:info': { req: Record<string, never>; res: { shell: 'electron' | 'web'; version: string } };
  /**
   * Native dialogs, answered by the shell, not the engine: Electron's main process shows them; web
   * mode answers `unsupported` and the renderer asks for a path in a text field instead.
   * `paths` is empty and `path` null when the user cancels.
   */
  'dialog:open': { req: { purpose: OpenPurpose }; res: { paths: readonly string[] } };
  'dialog:save': { req: { purpose: SavePurpose; defaultName: string }; res: { path: string | null } };
}

export type ApiName = keyof ApiCalls;
export type ApiRequest<K extends ApiName> = ApiCalls[K]['req'];
export type ApiResponse<K extends ApiName> = ApiCalls[K]['res'];

/** Every call name, for code that must enumerate them (the preload, the web server). */
export const API_CALLS: readonly ApiName[] = [
  'case:summary',
  'case:open',
  'case:save',
  'case:new',
  'import:start',
  'import:cancel',
  'sources:list',
  'rejects:list',
  'events:page',
  'event:get',
  'timeline:buckets',
  'facets:top',
  'sql:run',
  'sql:schema',
  'correlate:entity',
  'export:events',
  'correlate:chain',
  'app:info',
  'dialog:open',
  'dialog:save',
] as const;

/** Calls the shell answers itself; every other call goes to the engine. */
export const SHELL_CALLS: readonly ApiName[] = ['app:info', 'dialog:open', 'dialog:save'] as const;

export interface PushEvents {
  'import:progress': ImportProgress;
  'import:done': { importId: string; report: ImportReport };
  'case:changed': CaseSummary;
  /** A native menu item was chosen (desktop app only); `path` for `open-recent`. */
  'menu:command': { command: MenuCommand; path?: string };
}
export type PushName = keyof PushEvents;
export const PUSH_EVENTS: readonly PushName[] = ['import:progress', 'import:done', 'case:changed', 'menu:command'] as const;

/** The engine side: one async function per call, except the shell's own. */
export type ShellCallName = 'app:info' | 'dialog:open' | 'dialog:save';
export type EngineCallName = Exclude<ApiName, ShellCallName>;
export type ApiHandlers = { readonly [K in EngineCallName]: (req: ApiRequest<K>) => Promise<ApiResponse<K>> };
export type ShellHandlers = { readonly [K in ShellCallName]: (req: ApiRequest<K>) => Promise<ApiResponse<K>> };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function err(code: ApiErrorCode, message: string): Result<never> {
  return { ok: false, error: { code, message } };
}
