/**
 * From one parsed JSON item (and its exact bytes) to CloudTrail records. Envelopes are recognised by
 * their keys, in the order the format reference gives: `Records` arrays, EventBridge `detail`,
 * lookup-events `CloudTrailEvent` strings, CloudWatch Logs `logEvents`/`events`/`message`, Splunk
 * `_raw`, Elastic `event.original`, and the wrappers of the public test corpora (`log`, `json`).
 * A record's bytes are always the record itself, cut out of its envelope without re-serialising.
 */
import { arrayElementSpans, objectMemberSpans } from './jsonScan';
import { looksLikeRecord } from './normalize';

export type Obj = Record<string, unknown>;

/** What an item turned out to hold, for the source's kind. */
export type ItemKind = 'trail' | 'records' | 'insights' | 'lookup-events' | 'eventbridge' | 'cloudwatch-logs' | 'digest';

export interface UnwrapSink {
  record(record: Obj, bytes: Buffer, fallbackTime: unknown, kind: ItemKind): void;
  reject(reason: string, bytes: Buffer): void;
  digest(text: string): void;
  /** Envelope content that is not a record and not an error (CloudWatch control messages). */
  ignore(what: string): void;
}

const MAX_DEPTH = 6;

function obj(v: unknown): Obj | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined;
}

function parseEmbedded(text: string, sink: UnwrapSink, kind: ItemKind, fallbackTime: unknown, depth: number): void {
  const bytes = Buffer.from(text, 'utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    sink.reject(`embedded record is not valid JSON: ${(e as Error).message}`, bytes);
    return;
  }
  unwrap(parsed, bytes, sink, kind, fallbackTime, depth + 1);
}

function member(bytes: Buffer, key: string): Buffer | undefined {
  const span = objectMemberSpans(bytes, 0, bytes.length).get(key);
  return span ? bytes.subarray(span[0], span[1]) : undefined;
}

function eachElement(list: unknown[], bytes: Buffer | undefined, fn: (el: unknown, elBytes: Buffer) => void): void {
  const spans = bytes ? arrayElementSpans(bytes, 0, bytes.length) : [];
  list.forEach((el, i) => {
    const span = spans[i];
    fn(el, span ? (bytes as Buffer).subarray(span[0], span[1]) : Buffer.from(JSON.stringify(el) ?? 'null'));
  });
}

function keysOf(o: Obj): string {
  const keys = Object.keys(o);
  return keys.slice(0, 6).join(', ') + (keys.length > 6 ? ', …' : '');
}

export function unwrap(value: unknown, bytes: Buffer, sink: UnwrapSink, kind: ItemKind, fallbackTime: unknown, depth: number): void {
  const o = obj(value);
  if (!o) {
    sink.reject(Array.isArray(value) ? 'a JSON array where a record was expected' : 'not a JSON object', bytes);
    return;
  }
  if (depth > MAX_DEPTH) {
    sink.reject('envelopes nested too deeply', bytes);
    return;
  }
  if (looksLikeRecord(o)) {
    sink.record(o, bytes, fallbackTime, o['eventType'] === 'AwsCloudTrailInsight' ? 'insights' : kind);
    return;
  }
  if (typeof o['awsAccountId'] === 'string' && ('logFiles' in o || 'digestStartTime' in o)) {
    sink.digest(bytes.toString('utf8'));
    return;
  }
  const records = o['Records'];
  if (Array.isArray(records)) {
    eachElement(records, member(bytes, 'Records'), (el, b) => unwrap(el, b, sink, 'trail', undefined, depth + 1));
    return;
  }
  const detail = obj(o['detail']);
  if (detail && typeof o['detail-type'] === 'string') {
    unwrap(detail, member(bytes, 'detail') ?? Buffer.from(JSON.stringify(detail)), sink, 'eventbridge', o['time'], depth + 1);
    return;
  }
  if (typeof o['CloudTrailEvent'] === 'string') {
    parseEmbedded(o['CloudTrailEvent'], sink, 'lookup-events', o['EventTime'], depth);
    return;
  }
  if (Array.isArray(o['Events'])) {
    eachElement(o['Events'], member(bytes, 'Events'), (el, b) => unwrap(el, b, sink, 'lookup-events', undefined, depth + 1));
    return;
  }
  if (o['messageType'] === 'CONTROL_MESSAGE') {
    sink.ignore('CloudWatch Logs control message');
    return;
  }
  for (const key of ['logEvents', 'events'] as const) {
    const list = o[key];
    if (Array.isArray(list)) {
      eachElement(list, member(bytes, key), (el, b) => unwrap(el, b, sink, 'cloudwatch-logs', undefined, depth + 1));
      return;
    }
  }
  if (typeof o['message'] === 'string') {
    parseEmbedded(o['message'], sink, 'cloudwatch-logs', o['timestamp'], depth);
    return;
  }
  const result = obj(o['result']);
  const splunk = typeof o['_raw'] === 'string' ? o['_raw'] : typeof result?.['_raw'] === 'string' ? result['_raw'] : undefined;
  if (typeof splunk === 'string') {
    parseEmbedded(splunk, sink, 'records', o['_time'], depth);
    return;
  }
  const ecs = obj(o['event']);
  if (typeof ecs?.['original'] === 'string') {
    parseEmbedded(ecs['original'], sink, 'records', o['@timestamp'], depth);
    return;
  }
  for (const key of ['log', 'json'] as const) {
    const inner = o[key];
    if (obj(inner) || Array.isArray(inner)) {
      const b = member(bytes, key) ?? Buffer.from(JSON.stringify(inner));
      if (Array.isArray(inner)) eachElement(inner, b, (el, eb) => unwrap(el, eb, sink, kind, undefined, depth + 1));
      else unwrap(inner, b, sink, kind, undefined, depth + 1);
      return;
    }
    if (typeof inner === 'string' && /^\s*[[{]/.test(inner)) {
      parseEmbedded(inner, sink, kind, undefined, depth);
      return;
    }
  }
  sink.reject(`not a CloudTrail record (keys: ${keysOf(o)})`, bytes);
}
