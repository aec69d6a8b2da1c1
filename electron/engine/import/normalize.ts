/**
 * Maps one parsed CloudTrail record onto the store's columns. Every nested field may be an object,
 * null, a string or absent, and any key may be missing (Insights records have no userIdentity, hand
 * trimmed test records lack half their fields): nothing here assumes a shape. Unknown fields are
 * simply left in the original record, which is kept whole.
 */
import { DICT_COLUMNS, NDICT, NUM_NULL } from './protocol';
import { parseTimeMs } from './time';

/** Longest string kept in a dictionary column; the full value stays in the original record. */
export const MAX_DICT_STRING = 4096;

const slot = (col: string): number => {
  const i = DICT_COLUMNS.indexOf(col);
  if (i < 0) throw new Error(`unknown dictionary column ${col}`);
  return i;
};
const D = {
  version: slot('version'),
  source: slot('source'),
  name: slot('name'),
  type: slot('type'),
  category: slot('category'),
  region: slot('region'),
  ip: slot('ip'),
  ua: slot('ua'),
  errorCode: slot('error_code'),
  errorMessage: slot('error_message'),
  account: slot('account'),
  vpce: slot('vpce'),
  apiVersion: slot('api_version'),
  uiType: slot('ui_type'),
  uiPrincipalId: slot('ui_principal_id'),
  uiArn: slot('ui_arn'),
  uiAccount: slot('ui_account'),
  uiKey: slot('ui_key'),
  uiUser: slot('ui_user'),
  uiInvokedBy: slot('ui_invoked_by'),
  siType: slot('si_type'),
  siArn: slot('si_arn'),
  siUser: slot('si_user'),
  mfa: slot('mfa'),
  created: slot('created'),
  sourceIdentity: slot('source_identity'),
  issuedKey: slot('issued_key'),
};

export interface Normalized {
  t: number;
  eventId: string | null;
  requestId: string | null;
  sharedEventId: string | null;
  readOnly: number;
  management: number;
  readonly dict: (string | null)[];
  readonly resources: [string | null, string | null][];
}

type Obj = Record<string, unknown>;

function obj(v: unknown): Obj | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined;
}

export function str(v: unknown): string | null {
  let s: string;
  if (typeof v === 'string') s = v;
  else if (typeof v === 'number' || typeof v === 'boolean') s = String(v);
  else if (v === null || v === undefined) return null;
  else {
    try {
      s = JSON.stringify(v);
    } catch {
      return null; // too deep to serialise: the original record still has it
    }
  }
  return s.length > MAX_DICT_STRING ? `${s.slice(0, MAX_DICT_STRING)}…` : s;
}

function bool(v: unknown): number {
  if (v === true || v === 'true' || v === 'True' || v === 'TRUE') return 1;
  if (v === false || v === 'false' || v === 'False' || v === 'FALSE') return 0;
  return NUM_NULL;
}

/** CloudTrail's field names, for exports that change their case (Lake, Athena, Sentinel-style). */
const CANONICAL = new Map(
  [
    'eventVersion', 'userIdentity', 'eventTime', 'eventSource', 'eventName', 'awsRegion', 'sourceIPAddress', 'userAgent',
    'errorCode', 'errorMessage', 'requestParameters', 'responseElements', 'additionalEventData', 'requestID', 'eventID',
    'eventType', 'apiVersion', 'managementEvent', 'readOnly', 'resources', 'recipientAccountId', 'serviceEventDetails',
    'sharedEventID', 'vpcEndpointId', 'eventCategory', 'insightDetails', 'type', 'principalId', 'arn', 'accountId',
    'accessKeyId', 'userName', 'sessionContext', 'invokedBy', 'sessionIssuer', 'attributes', 'creationDate',
    'mfaAuthenticated', 'sourceIdentity', 'ARN',
  ].map((k) => [k.toLowerCase(), k]),
);
const NESTED = new Set(['userIdentity', 'sessionContext', 'sessionIssuer', 'attributes', 'insightDetails']);

/** Rebuilds an object with CloudTrail's key names when an export lower-cased them. */
export function canonicalKeys(o: Obj): Obj {
  const out: Obj = {};
  for (const [k, v] of Object.entries(o)) {
    const name = CANONICAL.get(k.toLowerCase()) ?? k;
    const inner = obj(v);
    out[name] = inner && NESTED.has(name) ? canonicalKeys(inner) : v;
  }
  return out;
}

/** Does this object look like a CloudTrail record (rather than an envelope or something else)? */
export function looksLikeRecord(o: Obj): boolean {
  if (!('eventTime' in o) && !('eventName' in o) && ('eventtime' in o || 'eventname' in o || 'eventid' in o)) return true;
  return (
    'eventVersion' in o ||
    'eventName' in o ||
    'eventSource' in o ||
    'eventTime' in o ||
    'eventID' in o ||
    'userIdentity' in o ||
    'insightDetails' in o ||
    ('eventType' in o && 'awsRegion' in o)
  );
}

/**
 * Normalises a record. `fallbackTime` is the wrapper's time (EventBridge `time`, CloudWatch
 * `timestamp`) used only when the record has none. Returns a reason string when the record cannot
 * be imported.
 */
export function normalize(record: Obj, fallbackTime: unknown): Normalized | string {
  const r = 'eventTime' in record || 'eventName' in record ? record : canonicalKeys(record);
  let t = parseTimeMs(r['eventTime']);
  if (Number.isNaN(t)) t = parseTimeMs(r['eventtime']);
  if (Number.isNaN(t)) t = parseTimeMs(r['@timestamp']);
  if (Number.isNaN(t)) t = parseTimeMs(fallbackTime);
  if (Number.isNaN(t)) {
    return 'eventTime' in r ? `eventTime is not a time: ${String(str(r['eventTime'])).slice(0, 80)}` : 'no event time (no eventTime, @timestamp or envelope time)';
  }
  const dict: (string | null)[] = new Array<string | null>(NDICT).fill(null);
  const insight = obj(r['insightDetails']);
  dict[D.version] = str(r['eventVersion']);
  dict[D.source] = str(r['eventSource'] ?? insight?.['eventSource']);
  dict[D.name] = str(r['eventName'] ?? insight?.['eventName']);
  dict[D.type] = str(r['eventType']);
  dict[D.category] = str(r['eventCategory']);
  dict[D.region] = str(r['awsRegion']);
  dict[D.ip] = str(r['sourceIPAddress']);
  dict[D.ua] = str(r['userAgent']);
  dict[D.errorCode] = str(r['errorCode'] ?? insight?.['errorCode']);
  dict[D.errorMessage] = str(r['errorMessage']);
  dict[D.account] = str(r['recipientAccountId'] ?? r['recipientAccountID']);
  dict[D.vpce] = str(r['vpcEndpointId']);
  dict[D.apiVersion] = str(r['apiVersion']);

  const ui = obj(r['userIdentity']);
  if (ui) {
    dict[D.uiType] = str(ui['type']);
    dict[D.uiPrincipalId] = str(ui['principalId']);
    dict[D.uiArn] = str(ui['arn']);
    dict[D.uiAccount] = str(ui['accountId']);
    const key = str(ui['accessKeyId']);
    dict[D.uiKey] = key === '' ? null : key;
    dict[D.uiUser] = str(ui['userName']);
    dict[D.uiInvokedBy] = str(ui['invokedBy']);
    const sc = obj(ui['sessionContext']);
    if (sc) {
      const issuer = obj(sc['sessionIssuer']);
      if (issuer) {
        dict[D.siType] = str(issuer['type']);
        dict[D.siArn] = str(issuer['arn']);
        dict[D.siUser] = str(issuer['userName']);
      }
      const attrs = obj(sc['attributes']);
      if (attrs) {
        dict[D.mfa] = str(attrs['mfaAuthenticated']);
        dict[D.created] = str(attrs['creationDate']);
      }
      dict[D.sourceIdentity] = str(sc['sourceIdentity']);
    }
  }
  const response = obj(r['responseElements']);
  const creds = response ? obj(response['credentials']) : undefined;
  if (creds) dict[D.issuedKey] = str(creds['accessKeyId']);

  const resources: [string | null, string | null][] = [];
  const res = r['resources'];
  if (Array.isArray(res)) {
    for (const item of res.slice(0, 1000)) {
      const o = obj(item);
      if (!o) continue;
      resources.push([str(o['type']), str(o['ARN'] ?? o['arn'] ?? o['ARNPrefix'] ?? o['arnPrefix'])]);
    }
  }
  return {
    t,
    eventId: str(r['eventID'] ?? r['eventId']),
    requestId: str(r['requestID'] ?? r['requestId']),
    sharedEventId: str(r['sharedEventID'] ?? r['sharedEventId']),
    readOnly: bool(r['readOnly']),
    management: bool(r['managementEvent']),
    dict,
    resources,
  };
}
