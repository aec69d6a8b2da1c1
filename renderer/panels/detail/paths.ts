/** Which filter field a place in a CloudTrail record stands for, so its value can be filtered on. */
import type { FilterField } from '../../../shared/domain';

export type JsonPath = readonly (string | number)[];

const FIELD_OF_PATH: Readonly<Record<string, FilterField>> = {
  eventName: 'eventName',
  eventSource: 'eventSource',
  eventID: 'eventID',
  eventType: 'eventType',
  eventCategory: 'eventCategory',
  awsRegion: 'awsRegion',
  sourceIPAddress: 'sourceIPAddress',
  userAgent: 'userAgent',
  errorCode: 'errorCode',
  recipientAccountId: 'recipientAccountId',
  sharedEventID: 'sharedEventID',
  requestID: 'requestID',
  readOnly: 'readOnly',
  'userIdentity.type': 'userIdentity_type',
  'userIdentity.arn': 'userIdentity_arn',
  'userIdentity.accountId': 'userIdentity_accountId',
  'userIdentity.principalId': 'userIdentity_principalId',
  'userIdentity.accessKeyId': 'userIdentity_accessKeyId',
  'userIdentity.userName': 'userIdentity_userName',
  'userIdentity.sessionContext.sessionIssuer.arn': 'sessionIssuer_arn',
  'userIdentity.sessionContext.sourceIdentity': 'sourceIdentity',
  'resources[].ARN': 'resourceName',
  'resources[].type': 'resourceType',
};

/** `a.b[].c` form: array positions do not matter to the mapping. */
export function pathKey(path: JsonPath): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? '[]' : out === '' ? p : `.${p}`;
  return out;
}

export function fieldOfPath(path: JsonPath): FilterField | null {
  return FIELD_OF_PATH[pathKey(path)] ?? null;
}

/** The value as the filter compares it (booleans as 'true'/'false', JSON null as absent). */
export function filterValue(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

export function pathLabel(path: JsonPath): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? p : `.${p}`;
  return out;
}
