import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { random } from '../../helpers/random';
import { normalize } from '../../../electron/engine/import/normalize';
import { DICT_COLUMNS, NDICT, NNUM, NTXT } from '../../../electron/engine/import/protocol';
import { TextPacker, packedText } from '../../../electron/engine/store/packedTexts';
import { EMIT_MAX, type FieldReader, type FieldRecords, type Interner, newFieldReader } from '../../../electron/engine/wasm/fields';

// The WebAssembly record reader is held to normalize(JSON.parse(record)), its oracle: every record
// it reads must come out exactly as the JavaScript path reads it, every text JSON.parse refuses must
// be declined, and what it cannot read exactly must be left to the JavaScript path.

const ROOT = path.resolve(__dirname, '..', '..', '..');
const CORPUS = path.resolve(ROOT, '..', 'shared', 'corpus');
const hasCorpus = fs.existsSync(CORPUS);
if (!hasCorpus) console.warn(`shared corpus not found at ${CORPUS}: skipping the reader's agreement with normalize on real records`);

/**
 * A reader and the dictionary it interns into, as an Encoder holds them: strings by value, plain
 * bytes under a new id each time (the coordinator unifies them), decoded here to be compared.
 */
class Harness {
  readonly reader: FieldReader;
  readonly strings: string[] = [];
  private readonly ids = new Map<string, number>();
  /** The strings that came as bytes, and how many times each came. */
  readonly bytesSeen = new Map<string, number>();
  readonly intern: Interner = {
    string: (s: string): number => {
      let id = this.ids.get(s);
      if (id === undefined) {
        this.strings.push(s);
        id = this.strings.length;
        this.ids.set(s, id);
      }
      return id;
    },
    bytes: (text: Uint8Array, start: number, length: number): number => {
      const s = new TextDecoder().decode(text.subarray(start, start + length));
      expect(/^[\x00-\x7f]*$/.test(s)).toBe(true);
      this.bytesSeen.set(s, (this.bytesSeen.get(s) ?? 0) + 1);
      this.strings.push(s);
      return this.strings.length;
    },
  };

  constructor() {
    const r = newFieldReader();
    if (!r) throw new Error('no WebAssembly SIMD in this Node');
    this.reader = r;
  }

  has(s: string): boolean {
    return this.ids.has(s) || this.bytesSeen.has(s);
  }

  read(text: Buffer): FieldRecords | null {
    return this.reader.read(text, this.intern);
  }

  string(id: number): string | null {
    return id === 0 ? null : (this.strings[id - 1] as string);
  }
}

/** The Adler-32 zlib gives `b` (its stream's trailer). */
function zlibAdler32(b: Uint8Array): number {
  const z = zlib.deflateSync(b, { level: 0 });
  return z.readUInt32BE(z.length - 4);
}

/** What normalize gives, in the shape compared. */
/** An eventID absent, null or empty: the encoder gives the event a synthetic one. */
const NO_EVENT_ID = 'no eventID';

/** What normalize gives, in the shape compared (ids as the store keeps them: UTF-8). */
function expected(record: unknown): unknown {
  const n = normalize(record as Record<string, unknown>, undefined);
  if (typeof n === 'string') return n;
  const utf8 = (s: string | null): string | null => (s === null ? null : new TextDecoder().decode(new TextEncoder().encode(s)));
  return { t: n.t, eventId: n.eventId === null || n.eventId === '' ? NO_EVENT_ID : utf8(n.eventId), requestId: utf8(n.requestId), sharedEventId: utf8(n.sharedEventId), readOnly: n.readOnly, management: n.management, dict: n.dict, resources: n.resources };
}

function actual(h: Harness, r: FieldRecords, i: number): unknown {
  const dict = new Int32Array(DICT_COLUMNS.length);
  r.dictInto(i, dict, 0);
  const res: number[] = [];
  r.resourcesInto(i, 0, res);
  const resources: [string | null, string | null][] = [];
  for (let k = 0; k < res.length; k += 3) resources.push([h.string(res[k + 1] as number), h.string(res[k + 2] as number)]);
  // The ids as the encoder takes them: UTF-8, decoded here; an eventID it declines is one to make up.
  const text = (which: 0 | 1 | 2): string | null => {
    const out = new TextPacker();
    return r.textInto(i, which, out) ? packedText(out.all(), 0) : NO_EVENT_ID;
  };
  return {
    t: r.time(i),
    eventId: text(0),
    requestId: text(1),
    sharedEventId: text(2),
    readOnly: r.readOnly(i),
    management: r.management(i),
    dict: [...dict].map((id) => h.string(id)),
    resources,
  };
}

/** Is the text one `{"Records": [...]}` object and nothing else, as JSON.parse reads it? */
function exactEnvelope(text: Buffer): unknown[] | null {
  const s = text.toString('utf8');
  let doc: unknown;
  try {
    doc = JSON.parse(s);
  } catch {
    return null;
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return null;
  if (!/^[ \t\r\n]*\{[ \t\r\n]*"Records"[ \t\r\n]*:/.test(s)) return null;
  const keys = Object.keys(doc);
  const records = (doc as { Records?: unknown }).Records;
  return keys.length === 1 && Array.isArray(records) ? records : null;
}

/**
 * Reads a text and checks it against JSON.parse and normalize. Returns how many records were read
 * in WebAssembly and how many were left to JavaScript.
 */
function check(h: Harness, text: Buffer, context = ''): { read: number; left: number; declined: boolean } {
  const records = exactEnvelope(text);
  const r = h.read(text);
  if (!records) {
    // Not valid JSON, or not exactly the envelope: the reader must decline the file.
    expect(r, `${context}: a text JSON.parse refuses or that is not exactly the envelope must be declined`).toBeNull();
    return { read: 0, left: 0, declined: true };
  }
  if (!r) return { read: 0, left: 0, declined: true };
  expect(r.count, context).toBe(records.length);
  let read = 0;
  for (let i = 0; i < r.count; i++) {
    // The record's bytes are the record itself.
    expect(JSON.parse(text.toString('utf8', r.start(i), r.end(i))), `${context} #${i}`).toEqual(records[i]);
    // The source's kind comes from unwrap, not normalize: Insights records are left to JavaScript.
    if ((records[i] as { eventType?: unknown } | null)?.eventType === 'AwsCloudTrailInsight') expect(r.ok(i), `${context} #${i}: an Insights record`).toBe(false);
    if (!r.ok(i)) continue;
    read++;
    expect(actual(h, r, i), `${context} #${i}: ${text.toString('utf8', r.start(i), r.end(i)).slice(0, 300)}`).toEqual(expected(records[i]));
  }
  return { read, left: r.count - read, declined: false };
}

const envelope = (records: string[]): Buffer => Buffer.from(`{"Records":[${records.join(',')}]}`);

const BASE = {
  eventVersion: '1.09',
  userIdentity: {
    type: 'AssumedRole',
    principalId: 'AROAEXAMPLE:alice',
    arn: 'arn:aws:sts::111122223333:assumed-role/Admin/alice',
    accountId: '111122223333',
    accessKeyId: 'ASIAEXAMPLE',
    sessionContext: {
      sessionIssuer: { type: 'Role', principalId: 'AROAEXAMPLE', arn: 'arn:aws:iam::111122223333:role/Admin', accountId: '111122223333', userName: 'Admin' },
      attributes: { creationDate: '2024-03-23T12:39:31Z', mfaAuthenticated: 'false' },
      sourceIdentity: 'alice@example.com',
    },
    invokedBy: 'cloudformation.amazonaws.com',
    userName: 'alice',
  },
  eventTime: '2024-03-23T12:41:31Z',
  eventSource: 'sts.amazonaws.com',
  eventName: 'AssumeRole',
  awsRegion: 'eu-west-1',
  sourceIPAddress: '198.51.100.7',
  userAgent: 'aws-cli/2.15.0 Python/3.11.6 Linux/6.1',
  errorCode: 'AccessDenied',
  errorMessage: 'User is not authorized',
  requestParameters: { roleArn: 'arn:aws:iam::111122223333:role/Deploy', nested: { deep: [1, 2.5, -3e2, true, null, 'x'] } },
  responseElements: { credentials: { accessKeyId: 'ASIANEWKEY', sessionToken: 'tok', expiration: 'Mar 23, 2024, 1:41:31 PM' }, assumedRoleUser: { arn: 'arn:aws:sts::x' } },
  requestID: '4a3c1f58-0000-4c8e-9d7a-000000000001',
  eventID: 'f1b2c3d4-0000-4e5f-8a9b-000000000001',
  readOnly: false,
  resources: [{ accountId: '111122223333', type: 'AWS::IAM::Role', ARN: 'arn:aws:iam::111122223333:role/Deploy' }],
  eventType: 'AwsApiCall',
  apiVersion: '2011-06-15',
  managementEvent: true,
  recipientAccountId: '111122223333',
  sharedEventID: 'c0ffee00-0000-4000-8000-000000000001',
  vpcEndpointId: 'vpce-0123456789abcdef0',
  eventCategory: 'Management',
  tlsDetails: { tlsVersion: 'TLSv1.3' },
};

/** Values a field may hold in real or hostile records. */
const VALUES: string[] = [
  'null', '""', '"plain"', '"caf\u00e9 \u65e5\u672c \ud83d\ude00"', '"esc\\"aped\\\\ \\/ \\b\\f\\n\\r\\t \\u0041\\u00e9\\ud83d\\ude00"', '"\\ud800 lone"',
  '0', '-0', '7', '-42', '123456789012345', '1234567890123456', '12345678901234567890', '1.5', '1e3', '-2E-2', '1.0',
  'true', 'false', '{}', '{"a":1}', '[]', '["x"]', `"${'L'.repeat(4096)}"`, `"${'L'.repeat(4097)}"`, `"${'\u00e9'.repeat(2100)}"`,
  '"true"', '"True"', '"TRUE"', '"false"', '"False"', '"FALSE"', '"yes"', '"tru\\u0065"', '"AwsCloudTrailInsight"', '"AwsCloudTrail\\u0049nsight"',
  '"2024-03-23T12:41:31Z"', '"2024-03-23T12:41:31.123Z"', '"2024-03-23 12:41:31"', '"2024-02-31T24:00:60Z"', '"2024-03-23T25:00:00Z"', '"2024-03-23T12:60:00Z"', '"2024-03-23T12:00:61Z"', '"2024-03-00T12:00:00Z"', '"2024-13-01T00:00:00Z"',
  '"0099-01-01T00:00:00Z"', '"1600-02-29T23:59:59Z"', '"2024-03-23T12:41:3xZ"', '1711197691', '"<script>alert(1)</script>"', '"=cmd|\' /C calc\'!A0"',
];

const TOP_KEYS = ['eventVersion', 'eventSource', 'eventName', 'eventType', 'eventCategory', 'awsRegion', 'sourceIPAddress', 'userAgent', 'errorCode', 'errorMessage', 'recipientAccountId', 'recipientAccountID', 'vpcEndpointId', 'apiVersion', 'eventTime', 'eventID', 'eventId', 'requestID', 'requestId', 'sharedEventID', 'sharedEventId', 'readOnly', 'managementEvent', 'userIdentity', 'responseElements', 'resources', 'insightDetails', 'eventtime', '@timestamp', 'requestParameters'];
const IDENTITY_KEYS = ['type', 'principalId', 'arn', 'accountId', 'accessKeyId', 'userName', 'invokedBy', 'sessionContext'];

type Json = unknown;
type Obj = Record<string, Json>;

/** Serialises like JSON.stringify, with values given as raw JSON text (`{raw}`) and chosen whitespace. */
function write(v: Json, rnd: (n: number) => number): string {
  const ws = (): string => [' ', '', '', '\n', '\t', '\r\n  '][rnd(6)] as string;
  if (v !== null && typeof v === 'object' && 'raw' in (v as Obj) && Object.keys(v as Obj).length === 1) return (v as { raw: string }).raw;
  if (Array.isArray(v)) return `[${ws()}${v.map((x) => write(x, rnd)).join(`${ws()},${ws()}`)}${ws()}]`;
  if (v !== null && typeof v === 'object') {
    const entries = (v as { entries?: [string, Json][] }).entries ?? Object.entries(v as Obj);
    return `{${ws()}${entries.map(([k, x]) => `${k.startsWith('\u0000raw:') ? k.slice(5) : JSON.stringify(k)}${ws()}:${ws()}${write(x, rnd)}`).join(`${ws()},${ws()}`)}${ws()}}`;
  }
  return JSON.stringify(v);
}

/** A record as ordered entries (so keys can repeat), with a few mutations. */
function mutated(rnd: (n: number) => number): string {
  const pick = <T>(list: readonly T[]): T => list[rnd(list.length)] as T;
  const clone = JSON.parse(JSON.stringify(BASE)) as Obj;
  const top: [string, Json][] = Object.entries(clone);
  const raw = (s: string): Json => ({ raw: s });
  const identity = (): [string, Json][] => {
    const e = top.find(([k]) => k === 'userIdentity');
    if (!e || e[1] === null || typeof e[1] !== 'object' || Array.isArray(e[1])) return [];
    if (!(e[1] as { entries?: unknown }).entries) e[1] = { entries: Object.entries(e[1] as Obj) };
    return (e[1] as { entries: [string, Json][] }).entries;
  };
  const mutations = 1 + rnd(4);
  for (let m = 0; m < mutations; m++) {
    switch (rnd(12)) {
      case 0:
      case 1:
      case 2: {
        // A top-level field gets another value (or appears, if it was absent).
        const key = pick(TOP_KEYS);
        const at = top.findIndex(([k]) => k === key);
        const value = raw(pick(VALUES));
        if (at >= 0) (top[at] as [string, Json])[1] = value;
        else top.splice(rnd(top.length + 1), 0, [key, value]);
        break;
      }
      case 3: {
        // A key twice.
        const key = pick(TOP_KEYS);
        top.splice(rnd(top.length + 1), 0, [key, raw(pick(VALUES))]);
        break;
      }
      case 4: {
        // A key spelled with an escape.
        const at = rnd(top.length);
        const [k, v] = top[at] as [string, Json];
        if (k.startsWith('\u0000raw:')) break;
        top[at] = [`\u0000raw:"${k.slice(0, 1)}\\u00${k.charCodeAt(1).toString(16)}${k.slice(2)}"`, v];
        break;
      }
      case 5: {
        const ui = identity();
        const key = pick(IDENTITY_KEYS);
        const at = ui.findIndex(([k]) => k === key);
        if (at >= 0 && rnd(3) > 0) (ui[at] as [string, Json])[1] = raw(pick(VALUES));
        else ui.splice(rnd(ui.length + 1), 0, [key, raw(pick(VALUES))]);
        break;
      }
      case 6: {
        const e = top.find(([k]) => k === 'userIdentity');
        if (e) e[1] = raw(pick(['null', '"root"', '[]', '{}', '{"sessionContext":null}', '{"sessionContext":{"attributes":[],"sessionIssuer":"x"}}', '{"sessionContext":{"sessionIssuer":{"type":"Role","type":"User"}}}']));
        break;
      }
      case 7: {
        const items = ['{}', 'null', '"s"', '[1]', '{"type":"T"}', '{"ARN":null,"arn":"a"}', '{"ARNPrefix":"p","arnPrefix":"q","type":null}', '{"arnPrefix":"q"}', '{"type":"T","type":"U"}', '{"ARN":"A","arn":"a"}', `{"type":${pick(VALUES)},"ARN":${pick(VALUES)}}`];
        const n = rnd(4) === 0 ? 995 + rnd(10) : rnd(5);
        const e = top.find(([k]) => k === 'resources');
        const list = raw(`[${Array.from({ length: n }, () => pick(items)).join(',')}]`);
        if (e) e[1] = rnd(8) === 0 ? raw(pick(['null', '{}', '"r"'])) : list;
        break;
      }
      case 8: {
        const e = top.find(([k]) => k === 'responseElements');
        if (e) e[1] = raw(pick(['null', '"ok"', '{"credentials":null}', '{"credentials":{"accessKeyId":null}}', `{"credentials":{"accessKeyId":${pick(VALUES)}}}`, '{"credentials":{"accessKeyId":"A"},"credentials":{"accessKeyId":"B"}}', '{"x":{"credentials":{"accessKeyId":"deep"}}}']));
        break;
      }
      case 9:
        // Alternative spellings, with the first null.
        top.push(['eventID', raw('null')], ['eventId', raw(pick(VALUES))], ['recipientAccountId', raw('null')], ['recipientAccountID', raw(pick(VALUES))]);
        top.splice(top.findIndex(([k]) => k === 'eventID'), 1);
        top.splice(top.findIndex(([k]) => k === 'recipientAccountId'), 1);
        break;
      case 10: {
        const depth = 1 + rnd(60);
        top.push(['requestParameters', raw(`${'{"a":['.repeat(depth)}1${']}'.repeat(depth)}`)]);
        break;
      }
      default:
        top.splice(rnd(top.length), 1); // a field missing (eventTime included, sometimes)
    }
  }
  return write({ entries: top }, rnd);
}

describe('the WebAssembly record reader', () => {
  it('reads fuzzed records exactly as normalize reads them, or leaves them to JavaScript', () => {
    const h = new Harness();
    let read = 0;
    let left = 0;
    for (let seed = 1; seed <= 400; seed++) {
      const rnd = random(seed);
      const n = 1 + rnd(12);
      const records = Array.from({ length: n }, () => (rnd(5) === 0 ? write(BASE, rnd) : mutated(rnd)));
      const got = check(h, envelope(records), `seed ${seed}`);
      expect(got.declined, `seed ${seed}: a valid envelope is read`).toBe(false);
      read += got.read;
      left += got.left;
    }
    // Both paths are exercised: most records are read here, many are left to JavaScript.
    expect(read).toBeGreaterThan(700);
    expect(left).toBeGreaterThan(500);
  });

  it('reads every value in every field as normalize does', () => {
    const h = new Harness();
    /** `o` as JSON with `"key":value` (raw JSON text) first, in place of its own `key`. */
    const withRaw = (o: Obj, key: string, value: string): string => {
      const rest: Obj = { ...o };
      delete rest[key];
      const body = JSON.stringify(rest).slice(1);
      return `{"${key}":${value}${body === '}' ? '' : ','}${body}`;
    };
    let read = 0;
    for (const value of VALUES) {
      const records = TOP_KEYS.map((key) => withRaw(BASE, key, value));
      const identity = BASE.userIdentity as Obj;
      for (const key of IDENTITY_KEYS) records.push(withRaw({ ...BASE, userIdentity: '' }, 'userIdentity', withRaw(identity, key, value)));
      const session = identity['sessionContext'] as Obj;
      const inIdentity = (sessionText: string): string => withRaw({ ...BASE, userIdentity: '' }, 'userIdentity', withRaw(identity, 'sessionContext', sessionText));
      records.push(inIdentity(withRaw(session, 'attributes', withRaw(session['attributes'] as Obj, 'mfaAuthenticated', value))));
      records.push(inIdentity(withRaw(session, 'sessionIssuer', withRaw(session['sessionIssuer'] as Obj, 'arn', value))));
      records.push(inIdentity(withRaw(session, 'sourceIdentity', value)));
      records.push(withRaw(BASE, 'resources', `[{"type":${value},"ARN":${value}},{"arn":${value}},{"ARN":null,"ARNPrefix":${value}}]`));
      records.push(withRaw(BASE, 'responseElements', `{"credentials":{"accessKeyId":${value}}}`));
      for (const n of [1000, 1001]) records.push(withRaw(BASE, 'resources', `[${Array(n).fill(`{"type":${value}}`).join(',')}]`));
      read += check(h, envelope(records), `value ${value.slice(0, 40)}`).read;
    }
    expect(read).toBeGreaterThan(1000);
  });

  it('declines every text JSON.parse refuses, and every text that is not exactly the envelope', () => {
    const h = new Harness();
    const rec = JSON.stringify(BASE);
    const bad = [
      '', ' ', '{}', '[]', '{"Records":{}}', '{"Records":[]', '{"Records":[] ,}', '{"Records":[],"x":1}', '{"x":1,"Records":[]}', '{"Records":[],"Records":[]}',
      '{"Recor\\u0064s":[]}', '{"Records":[{}]} x', '\ufeff{"Records":[]}', '{"Records":[{},]}', '{"Records":[,{}]}', '{"Records":[{}{}]}',
      '{"Records":[{"a":01}]}', '{"Records":[{"a":1.}]}', '{"Records":[{"a":.5}]}', '{"Records":[{"a":1e}]}', '{"Records":[{"a":-}]}', '{"Records":[{"a":+1}]}',
      '{"Records":[{"a":tru}]}', '{"Records":[{"a":nul}]}', '{"Records":[{"a":True}]}', '{"Records":[{"a":"\\x"}]}', '{"Records":[{"a":"\\u12"}]}',
      '{"Records":[{"a":"tab\there"}]}', '{"Records":[{"a":"nul\u0000"}]}', '{"Records":[{"a":"open}]}', '{"Records":[{"a" 1}]}', '{"Records":[{a:1}]}',
      "{'Records':[]}", '{"Records":[{"a":[1,]}]}', '{"Records":[{"a":{"b":1,}}]}', '{"Records":[{"a":]}]}', '{"Records":[{"a":1}}]}', '{"Records":[{"a":[}]}]}',
      `{"Records":[${rec.slice(0, -1)}]}`, `{"Records":[${rec}]`, `{"Records":[${rec}]}}`, `{"Records":[${rec.replace('"eventName"', '"eventName" "x"')}]}`,
      '{"Records":[{"a":1}]}\u00a0', '{"Records":[{"a":\u00e91}]}',
    ];
    for (const text of bad) check(h, Buffer.from(text), JSON.stringify(text));
    // Raw bytes JSON.parse of the UTF-8 text refuses: a stray byte >= 0x80 outside strings.
    check(h, Buffer.concat([Buffer.from('{"Records":[{"a":1}'), Buffer.from([0xff]), Buffer.from(']}')]), 'stray 0xff');
    // Invalid UTF-8 inside strings is valid JSON: the text decodes with U+FFFD, as the JavaScript path reads it.
    const lone = Buffer.concat([Buffer.from('{"Records":[{"eventTime":"2024-03-23T12:41:31Z","eventName":"a'), Buffer.from([0xe2, 0x28, 0xff]), Buffer.from('b"}]}')]);
    expect(check(h, lone, 'invalid UTF-8 in a string').read).toBe(1);
  });

  it('reads a key only when every byte of it matches: each key changed, lengthened or shortened at each position', () => {
    const h = new Harness();
    // Every key the reader looks for, at each level where it looks (the resource keys and the
    // credentials' as well), in one record.
    const full = JSON.stringify({
      ...BASE,
      recipientAccountID: '444455556666',
      eventId: 'alt-id',
      requestId: 'alt-request',
      sharedEventId: 'alt-shared',
      resources: [{ type: 'AWS::S3::Bucket', ARN: 'arn:aws:s3:::a' }, { arn: 'arn:aws:s3:::b' }, { ARNPrefix: 'arn:aws:s3:::c' }, { arnPrefix: 'arn:aws:s3:::d' }],
    });
    const keys = [...full.matchAll(/"([A-Za-z@]+)":/g)];
    expect(keys.length).toBeGreaterThan(50);
    const variants: string[] = [];
    for (const m of keys) {
      const key = m[1] as string;
      const at = (m.index as number) + 1;
      const put = (k: string): number => variants.push(full.slice(0, at) + k + full.slice(at + key.length));
      for (let i = 0; i < key.length; i++) {
        const c = key[i] as string;
        put(key.slice(0, i) + (c === 'x' ? 'y' : 'x') + key.slice(i + 1)); // one byte changed
        put(key.slice(0, i) + key.slice(i + 1)); // one byte left out
        put(key.slice(0, i) + c + c + key.slice(i + 1)); // one byte twice
      }
    }
    let read = 0;
    for (let i = 0; i < variants.length; i += 200) read += check(h, envelope(variants.slice(i, i + 200)), `key variants from ${i}`).read;
    expect(read).toBeGreaterThan(variants.length / 2);
  });

  it('agrees with JSON.parse on every one-byte change of an envelope', () => {
    const h = new Harness();
    const base = Buffer.from(write({ Records: [BASE, { ...BASE, eventName: 'Caf\u00e9', errorMessage: 'a\\"b' }] }, random(7)));
    const rnd = random(99);
    const alphabet = Buffer.from('{}[]":,\\ \t\n0123456789-+.eEtrufalsn\u0000\u001f\u007fxu');
    let read = 0;
    for (let k = 0; k < 1500; k++) {
      const at = rnd(base.length);
      const byte = rnd(4) === 0 ? rnd(256) : (alphabet[rnd(alphabet.length)] as number);
      const kind = rnd(3);
      const text = kind === 0 ? Buffer.concat([base.subarray(0, at), Buffer.from([byte]), base.subarray(at + 1)]) : kind === 1 ? Buffer.concat([base.subarray(0, at), Buffer.from([byte]), base.subarray(at)]) : Buffer.concat([base.subarray(0, at), base.subarray(at + 1)]);
      const got = check(h, text, `change ${k} at ${at}`);
      read += got.read;
      if (exactEnvelope(text)) expect(got.declined, `change ${k}: a valid envelope is read`).toBe(false);
    }
    expect(read).toBeGreaterThan(500);
  });

  it('gives the caller the bytes of each plain string once, and any other string decoded', () => {
    const h = new Harness();
    const file = envelope([JSON.stringify({ ...BASE, eventName: 'PlainName', userAgent: 'caf\u00e9/1.0', errorMessage: 'a "quoted" word' })]);
    expect(check(h, file, 'first read').read).toBe(1);
    expect(check(h, file, 'second read').read).toBe(1);
    expect(h.bytesSeen.get('PlainName')).toBe(1);
    expect([...h.bytesSeen.values()].every((n) => n === 1)).toBe(true);
    // Not plain ASCII without escapes: these come as strings, as JSON.parse reads them.
    expect(h.bytesSeen.has('caf\u00e9/1.0')).toBe(false);
    expect(h.bytesSeen.has('a "quoted" word')).toBe(false);
    expect(h.has('caf\u00e9/1.0') && h.has('a "quoted" word')).toBe(true);
  });

  it('keeps out of the dictionary the strings only a declined record had, and takes them when a read record has them', () => {
    const h = new Harness();
    const first = envelope([JSON.stringify({ ...BASE, eventName: 'Kept' }).replace('"eventName":"Kept"', '"eventName":"OnlyInTheFirstOfTwo","eventName":"Kept"')]);
    const r1 = h.read(first);
    expect(r1?.ok(0)).toBe(false); // a key twice: JSON.parse keeps the last; the JavaScript path reads it
    expect(h.has('OnlyInTheFirstOfTwo')).toBe(false);
    const second = envelope([JSON.stringify({ ...BASE, eventName: 'OnlyInTheFirstOfTwo' }), JSON.stringify({ ...BASE, eventName: 'OnlyInTheFirstOfTwo', eventID: 'other' })]);
    expect(check(h, second, 'second file').read).toBe(2);
    expect(h.has('OnlyInTheFirstOfTwo')).toBe(true);
    // A file declined whole (not valid JSON) interns nothing either.
    const before = h.strings.length;
    expect(h.read(Buffer.from(`{"Records":[${JSON.stringify({ ...BASE, eventName: 'NeverSeen' })},]}`))).toBeNull();
    expect(h.strings.length).toBe(before);
    expect(check(h, envelope([JSON.stringify({ ...BASE, eventName: 'NeverSeen' })]), 'after a declined file').read).toBe(1);
  });

  it('keeps its dictionary across files and grows it past its first size', () => {
    const h = new Harness();
    const rnd = random(5);
    for (let file = 0; file < 12; file++) {
      const records = Array.from({ length: 2000 }, (_, i) => JSON.stringify({ ...BASE, eventName: `Name${rnd(500)}`, sourceIPAddress: `10.${file}.${i >> 8}.${i & 255}`, userAgent: `agent-${file * 2000 + i}`, errorMessage: `message-${file}-${i}`, eventID: `id-${file}-${i}` }));
      expect(check(h, envelope(records), `file ${file}`).read).toBe(2000);
    }
    expect(h.strings.length).toBeGreaterThan(70000);
  });

  it('reads a text written into its own memory where it is, the view still valid after the read, and takes its Adler-32 there', () => {
    const h = new Harness();
    const rnd = random(11);
    // Each file all new strings, and more of them than the module's first table and arena hold:
    // growing its memory during the read would detach the view the text is in.
    for (let file = 0; file < 6; file++) {
      const records = Array.from({ length: 3000 }, (_, i) => JSON.stringify({ ...BASE, userAgent: `agent-${file}-${i}-${'x'.repeat(rnd(400))}`, errorMessage: `m-${file}-${i}`, eventID: `id-${file}-${i}` }));
      const text = envelope(records);
      const view = h.reader.textView(text.length + 1);
      expect(view).not.toBeNull();
      if (!view) return;
      text.copy(view);
      const inPlace = view.subarray(0, text.length);
      expect(h.reader.adler32(inPlace)).toBe(zlibAdler32(text));
      expect(check(h, inPlace, `file ${file} in place`).read).toBe(3000);
      expect(inPlace.length).toBe(text.length); // not detached by the read
      expect(inPlace.equals(text)).toBe(true);
    }
    // A part of the view that does not begin it would be copied over itself, under the caller: refused.
    const part = h.reader.textView(20);
    expect(() => h.read(part?.subarray(3) ?? Buffer.alloc(0))).toThrow(/only where textView put it/);
    // A text from elsewhere is copied in, for a read as for a checksum.
    const other = envelope([JSON.stringify(BASE)]);
    expect(check(h, Buffer.from(other), 'copied in').read).toBe(1);
    expect(h.reader.adler32(Buffer.from(other))).toBe(zlibAdler32(other));
    expect(() => h.reader.adler32(part?.subarray(3) ?? Buffer.alloc(0))).toThrow(/only where textView put it/);
  });

  it('takes the Adler-32 of a text as zlib does, at every block and vector boundary, in its memory or copied in', () => {
    const h = new Harness();
    const r = random(7);
    const noise = Buffer.from(Array.from({ length: 20_000 }, () => r(256)));
    const ones = Buffer.alloc(200_003, 0xff); // the largest sums
    const samples = [Buffer.alloc(0), Buffer.from('a'), ones, ones.subarray(3), ones.subarray(1, 100_001)];
    for (const n of [15, 16, 17, 63, 64, 65, 5535, 5536, 5537, 11_072, 11_073, 20_000]) samples.push(noise.subarray(0, n), noise.subarray(20_000 - n));
    for (const b of samples) {
      const view = h.reader.textView(b.length + 1);
      if (!view) throw new Error('no view');
      b.copy(view);
      expect(h.reader.adler32(view.subarray(0, b.length)), `${b.length} bytes in place`).toBe(zlibAdler32(b));
      expect(h.reader.adler32(Buffer.from(b)), `${b.length} bytes copied in`).toBe(zlibAdler32(b));
    }
  });

  it('declines files with more records than one read takes, and nesting deeper than it follows', () => {
    const h = new Harness();
    expect(h.read(Buffer.from(`{"Records":[${Array(65537).fill('{}').join(',')}]}`))).toBeNull();
    expect(h.read(Buffer.from(`{"Records":[${Array(65536).fill('{}').join(',')}]}`))?.count).toBe(65536);
    const deep = `{"Records":[{"eventTime":"2024-03-23T12:41:31Z","x":${'['.repeat(5000)}${']'.repeat(5000)}}]}`;
    expect(h.read(Buffer.from(deep))).toBeNull();
  });

  it('writes the rows of a file it read whole as the calls per record would, in chunks, or says it cannot', () => {
    const h = new Harness();
    let emitted = 0;
    let emittedLong = 0;
    let refused = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const rnd = random(seed);
      // Mostly records it reads (the usual file), sometimes over one call's EMIT_MAX.
      const long = seed % 50 === 0;
      const n = long ? EMIT_MAX * 2 + rnd(EMIT_MAX) : 1 + rnd(12);
      const records = Array.from({ length: n }, () => (!long && rnd(4) === 0 ? mutated(rnd) : write(BASE, rnd)));
      const text = envelope(records);
      const r = h.read(text);
      if (!r) continue;
      const sourceId = 1 + rnd(1000);
      const firstIndex = rnd(100);
      const blk = rnd(50);
      if (!r.emittable()) {
        // Some record is left to JavaScript, or has a text that is not plain, or has no eventID.
        refused++;
        // Never a file whose records were all read, each with an eventID and without an escape or a byte over 0x7f.
        const clean = (i: number): boolean => r.ok(i) && r.textInto(i, 0, new TextPacker()) && !/[\\\x80-\xff]/.test(text.toString('latin1', r.start(i), r.end(i)));
        expect(Array.from({ length: r.count }, (_, i) => clean(i)).every(Boolean), `seed ${seed}: refused a file it could emit`).toBe(false);
        continue;
      }
      emitted++;
      if (n > EMIT_MAX) emittedLong++;
      // Through emit, in chunks as the encoder makes them (a batch may start mid-file).
      const start = rnd(5);
      const dictA = new Int32Array((start + n) * NDICT);
      const numsA = new Float64Array((start + n) * NNUM);
      const textsA = new TextPacker(4, 16);
      for (let k = 0; k < start * NTXT; k++) textsA.push(null);
      const resA: number[] = [];
      for (let from = 0; from < n; ) {
        const m = Math.min(n - from, EMIT_MAX, 1 + rnd(EMIT_MAX));
        r.emitInto(from, m, sourceId, firstIndex + from, blk, dictA, numsA, start + from, textsA, resA);
        from += m;
      }
      // Record by record.
      const dictB = new Int32Array((start + n) * NDICT);
      const numsB = new Float64Array((start + n) * NNUM);
      const textsB = new TextPacker(4, 16);
      for (let k = 0; k < start * NTXT; k++) textsB.push(null);
      const resB: number[] = [];
      for (let i = 0; i < n; i++) {
        const row = start + i;
        r.dictInto(i, dictB, row * NDICT);
        const o = row * NNUM;
        numsB.set([r.time(i), r.readOnly(i), r.management(i), sourceId, firstIndex + i, blk, r.start(i), r.end(i) - r.start(i), 0], o);
        for (const k of [0, 1, 2] as const) expect(r.textInto(i, k, textsB), `seed ${seed} record ${i}: an eventID`).toBe(true);
        r.resourcesInto(i, row, resB);
      }
      expect(Array.from(dictA), `seed ${seed}: dictionary ids`).toEqual(Array.from(dictB));
      expect(Array.from(numsA), `seed ${seed}: numbers`).toEqual(Array.from(numsB));
      expect(resA, `seed ${seed}: resources`).toEqual(resB);
      const a = textsA.all();
      const b = textsB.all();
      expect(a.count).toBe(b.count);
      for (let k = 0; k < a.count; k++) expect(packedText(a, k), `seed ${seed}: text ${k}`).toBe(packedText(b, k));
      expect(Array.from(a.lengths)).toEqual(Array.from(b.lengths));
    }
    expect(emitted).toBeGreaterThan(100);
    expect(emittedLong).toBe(6);
    expect(refused).toBeGreaterThan(20);
  });

  it.skipIf(!hasCorpus)('reads the public corpus exactly as normalize does', () => {
    const h = new Harness();
    const files = fs.readdirSync(CORPUS, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => path.join(d.parentPath, d.name));
    const all: unknown[] = [];
    let read = 0;
    for (const file of files) {
      let bytes = fs.readFileSync(file);
      if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = zlib.gunzipSync(bytes);
      // Files that are envelopes, as they are.
      read += check(h, bytes, path.relative(CORPUS, file)).read;
      let doc: unknown;
      try {
        doc = JSON.parse(bytes.toString('utf8'));
      } catch {
        continue;
      }
      const list = Array.isArray(doc) ? doc : Array.isArray((doc as { Records?: unknown })?.Records) ? (doc as { Records: unknown[] }).Records : [doc];
      all.push(...list);
    }
    // Every record found anywhere, re-serialised into envelopes of 50.
    for (let i = 0; i < all.length; i += 50) read += check(h, envelope(all.slice(i, i + 50).map((r) => JSON.stringify(r))), `corpus records ${i}…`).read;
    expect(read).toBeGreaterThan(3000);
  });
});
