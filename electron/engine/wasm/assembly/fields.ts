// AssemblyScript, compiled by `npm run wasm` into ../fieldsWasm.ts (not part of the TypeScript build).
//
// Reads a whole `{"Records": [...]}` file in one pass: validates every byte as JSON, finds each
// record's bytes, and takes out the fields the store indexes, interning their bytes in a dictionary
// kept in this module's memory. JavaScript then decodes only strings it has not seen before.
//
// What this module does not do exactly as `normalize(JSON.parse(record))` would, it does not guess:
// the record gets status JS and takes the JavaScript path (duplicate or escaped keys where fields are
// read, non-string values that do not print as written, long strings, other time formats, Insights
// records, more than 1000 resources). What is not valid JSON makes the whole file decline (-1), and
// the JavaScript path then reports it as before.
//
// Memory: a bump allocator from __heap_base; nothing is freed. The text buffer, the outputs, the
// dictionary table and its key arena are allocated here; JavaScript copies the text in and reads the
// outputs through views.

// ---- outputs ----------------------------------------------------------------------------------

/** Dictionary fields, in the order of DICT_COLUMNS' names as normalize.ts fills them. */
const NF = 27;
const F_TYPE: i32 = 3;
const F_ACCOUNT: i32 = 10;
const F_UI_KEY: i32 = 17;

/** Record output: i32 words. */
const STRIDE: usize = 48 * 4;
const O_STATUS: usize = 0;
const O_START: usize = 4;
const O_END: usize = 8;
const O_DICT: usize = 12; // NF words
const O_READ_ONLY: usize = 120;
const O_MANAGEMENT: usize = 124;
const O_EVENT_ID: usize = 128; // (start, length, flags) each
const O_REQUEST_ID: usize = 140;
const O_SHARED_ID: usize = 152;
const O_RES_START: usize = 164;
const O_RES_COUNT: usize = 168;
const O_TIME: usize = 176; // f64

const OK: i32 = 1;
const JS: i32 = 2;
const NUM_NULL: i32 = -1;

/** String flags: present, has bytes >= 0x80, has escapes. */
const PRESENT: u32 = 1;
const NON_ASCII: u32 = 2;
const ESCAPED: u32 = 4;

/** A dictionary entry whose string JavaScript has not taken (it was met only in a declined record). */
const UNRESOLVED: i32 = i32.MIN_VALUE;

const MAX_RECORDS: i32 = 65536;
const MAX_PENDING: i32 = 65536;
const MAX_PAIRS: i32 = 262144;
const MAX_RESOURCES: i32 = 1000;
/** Longest string normalize keeps whole (MAX_DICT_STRING, in UTF-16 units; bytes are never fewer). */
const MAX_STRING: usize = 4096;
const MAX_DEPTH: i32 = 4096;
/** Records one emit call writes at most, and the numbers of a batch row (protocol.ts NNUM). */
const EMIT_MAX: i32 = 256;
const NNUM: usize = 9;
const PAD: usize = 64;

// ---- memory -------------------------------------------------------------------------------------

let top: usize = 0;

function alloc(n: usize): usize {
  if (top == 0) top = (__heap_base + 15) & ~15;
  const p = top;
  top = (p + n + 15) & ~15;
  const need = <i32>((top + 0xffff) >>> 16);
  const have = memory.size();
  if (need > have && memory.grow(need - have) < 0) unreachable();
  return p;
}

let textBuf: usize = 0;
let textCap: usize = 0;
let textStart: usize = 0;
let textEnd: usize = 0;

let out: usize = 0;
let pairs: usize = 0;
let pairCount: i32 = 0;
let pending: usize = 0;
let pendingCount: i32 = 0;
let stack: usize = 0;

/** Where emit writes rows (see emit). */
let emitDict: usize = 0;
let emitNums: usize = 0;
let emitStarts: usize = 0;
let emitLengths: usize = 0;
let emitBytes: usize = 0;
let emitRes: usize = 0;
let emitResCount: i32 = 0;

let table: usize = 0;
let tableCap: u32 = 0;
let tableCount: u32 = 0;
let arena: usize = 0;
let arenaEnd: usize = 0;

/**
 * Where JavaScript writes a text of at most `n` bytes before calling extract. The memory the call
 * can need is made here, so that extract never grows the memory: JavaScript may hold a view of the
 * text (an inflated file is written here directly, not copied), and growing would detach it. The
 * dictionary table is made room for, and the memory for one more arena of the size keep() takes.
 */
export function textBuffer(n: usize): usize {
  setup();
  if (n + PAD > textCap) {
    textCap = n + PAD + (n >>> 2);
    textBuf = alloc(textCap);
  }
  reserveTable();
  const arenaSize: usize = n + 8 > 1 << 20 ? n + 8 : 1 << 20;
  const need = <i32>((top + arenaSize + 32 + 0xffff) >>> 16);
  const have = memory.size();
  if (need > have && memory.grow(need - have) < 0) unreachable();
  return textBuf;
}

/**
 * Adler-32 of the text of n bytes at textBuffer, for the zlib trailer of a gzip file's deflate
 * stream kept as its raw block (gzipBlock.ts), where the inflated text already is. Blocks of 5536
 * bytes: within one, no 32-bit lane can overflow; the sums are reduced modulo 65521 after each. For
 * a block of N bytes b_0..b_{N-1}: a' = a + sum(b_i); s' = s + N*a + sum((N - i) * b_i), the weighted
 * sum being 16 * (each vector's sum of the vectors before it) + each vector's bytes weighted 16..1.
 */
export function adler32(n: usize): u32 {
  let a: u64 = 1;
  let s: u64 = 0;
  let p = textBuf;
  const end = textBuf + (n & ~(<usize>15));
  const w1 = i16x8(16, 15, 14, 13, 12, 11, 10, 9);
  const w2 = i16x8(8, 7, 6, 5, 4, 3, 2, 1);
  while (p < end) {
    const blockEnd = p + 5536 < end ? p + 5536 : end;
    s += <u64>(blockEnd - p) * a;
    let va = i32x4.splat(0);
    let vps = i32x4.splat(0);
    let vw = i32x4.splat(0);
    do {
      const v = v128.load(p);
      vps = i32x4.add(vps, va);
      va = i32x4.add(va, i32x4.extadd_pairwise_i16x8_u(i16x8.extadd_pairwise_i8x16_u(v)));
      const lo = i32x4.extadd_pairwise_i16x8_u(i16x8.mul(i16x8.extend_low_i8x16_u(v), w1));
      const hi = i32x4.extadd_pairwise_i16x8_u(i16x8.mul(i16x8.extend_high_i8x16_u(v), w2));
      vw = i32x4.add(vw, i32x4.add(lo, hi));
      p += 16;
    } while (p < blockEnd);
    vps = i32x4.add(i32x4.shl(vps, 4), vw);
    // Lanes as unsigned (each at most ~1.96e9 within a block).
    s = (s + <u64><u32>i32x4.extract_lane(vps, 0) + <u64><u32>i32x4.extract_lane(vps, 1) + <u64><u32>i32x4.extract_lane(vps, 2) + <u64><u32>i32x4.extract_lane(vps, 3)) % 65521;
    a = (a + <u64>(<u32>i32x4.extract_lane(va, 0) + <u32>i32x4.extract_lane(va, 1) + <u32>i32x4.extract_lane(va, 2) + <u32>i32x4.extract_lane(va, 3))) % 65521;
  }
  const tail = textBuf + n;
  while (p < tail) {
    a += <u64>load<u8>(p);
    s += a;
    p++;
  }
  return <u32>(((s % 65521) << 16) | (a % 65521));
}

export function records(): usize {
  return out;
}
export function resourcePairs(): usize {
  return pairs;
}
export function pendingStrings(): usize {
  return pending;
}
export function pendingTotal(): i32 {
  return pendingCount;
}

function setup(): void {
  if (out != 0) return;
  defineKeys();
  out = alloc(<usize>MAX_RECORDS * STRIDE);
  pairs = alloc(<usize>MAX_PAIRS * 8);
  pending = alloc(<usize>MAX_PENDING * 16);
  stack = alloc(<usize>MAX_DEPTH);
  emitDict = alloc(<usize>EMIT_MAX * NF * 4);
  emitNums = alloc(<usize>EMIT_MAX * NNUM * 8);
  emitStarts = alloc(<usize>EMIT_MAX * 3 * 4);
  emitLengths = alloc(<usize>EMIT_MAX * 3 * 4);
  emitBytes = alloc(<usize>EMIT_MAX * 3 * MAX_STRING + 16);
  emitRes = alloc(<usize>MAX_PAIRS * 12);
  tableCap = 1 << 18;
  table = alloc(<usize>tableCap << 4);
  memory.fill(table, 0, <usize>tableCap << 4);
}

// ---- dictionary -----------------------------------------------------------------------------------
// Open addressing, 16-byte entries: hash, key pointer (0: empty), key length, id. The id is the
// JavaScript dictionary's (> 0), -(k + 1) for the k-th string pending in this call, or UNRESOLVED.

function hash(p: usize, n: usize): u32 {
  let h: u64 = 0x9e3779b97f4a7c15 ^ <u64>n;
  let i: usize = 0;
  while (i + 8 <= n) {
    h = (rotl<u64>(h, 29) ^ load<u64>(p + i)) * 0xbf58476d1ce4e5b9;
    i += 8;
  }
  if (i < n) {
    const w = load<u64>(p + i) & ((<u64>1 << (<u64>(n - i) << 3)) - 1);
    h = (rotl<u64>(h, 29) ^ w) * 0xbf58476d1ce4e5b9;
  }
  h ^= h >> 32;
  h *= 0x94d049bb133111eb;
  h ^= h >> 29;
  return <u32>h;
}

function same(a: usize, b: usize, n: usize): bool {
  let i: usize = 0;
  while (i + 8 <= n) {
    if (load<u64>(a + i) != load<u64>(b + i)) return false;
    i += 8;
  }
  if (i < n) {
    const m = (<u64>1 << (<u64>(n - i) << 3)) - 1;
    if (((load<u64>(a + i) ^ load<u64>(b + i)) & m) != 0) return false;
  }
  return true;
}

function keep(p: usize, n: usize): usize {
  if (arena + n + 8 > arenaEnd) {
    const size: usize = n + 8 > 1 << 20 ? n + 8 : 1 << 20;
    arena = alloc(size);
    arenaEnd = arena + size;
  }
  const k = arena;
  memory.copy(k, p, n);
  arena += n;
  return k;
}

/** Room for every string one call can add, at no more than half full. */
function reserveTable(): void {
  if ((tableCount + <u32>MAX_PENDING) * 2 <= tableCap) return;
  const oldTable = table;
  const oldCap = tableCap;
  tableCap = oldCap << 1;
  table = alloc(<usize>tableCap << 4);
  memory.fill(table, 0, <usize>tableCap << 4);
  const mask = tableCap - 1;
  for (let i: u32 = 0; i < oldCap; i++) {
    const e = oldTable + (<usize>i << 4);
    if (load<u32>(e, 4) == 0) continue;
    let j = load<u32>(e) & mask;
    while (load<u32>(table + (<usize>j << 4), 4) != 0) j = (j + 1) & mask;
    memory.copy(table + (<usize>j << 4), e, 16);
  }
}

let overflow = false;

function addPending(e: usize, p: usize, n: usize, flags: u32): i32 {
  if (pendingCount >= MAX_PENDING) {
    overflow = true;
    return 0;
  }
  const q = pending + (<usize>pendingCount << 4);
  store<u32>(q, <u32>(p - textStart));
  store<u32>(q, <u32>n, 4);
  store<u32>(q, flags, 8);
  store<u32>(q, <u32>e, 12);
  pendingCount++;
  const id = -pendingCount;
  store<i32>(e, id, 12);
  return id;
}

function intern(p: usize, n: usize, flags: u32): i32 {
  const h = hash(p, n);
  const mask = tableCap - 1;
  let i = h & mask;
  while (true) {
    const e = table + (<usize>i << 4);
    const k = load<u32>(e, 4);
    if (k == 0) {
      if (pendingCount >= MAX_PENDING) {
        overflow = true;
        return 0;
      }
      store<u32>(e, h);
      store<u32>(e, <u32>keep(p, n), 4);
      store<u32>(e, <u32>n, 8);
      tableCount++;
      return addPending(e, p, n, flags);
    }
    if (load<u32>(e) == h && load<u32>(e, 8) == <u32>n && same(k, p, n)) {
      const id = load<i32>(e, 12);
      return id == UNRESOLVED ? addPending(e, p, n, flags) : id;
    }
    i = (i + 1) & mask;
  }
}

// ---- JSON -------------------------------------------------------------------------------------------

/** Bytes >= 0x80 in the last string scanned, and whether it had escapes. */
let stringFlags: u32 = 0;
/** The last number scanned prints in JavaScript exactly as written (String(Number(text)) === text). */
let plainNumber = false;
/** The record being read must take the JavaScript path. */
let declined = false;

@inline function isWs(c: u32): bool {
  return c == 0x20 || c == 0x0a || c == 0x0d || c == 0x09;
}
@inline function isDigit(c: u32): bool {
  return c - 0x30 < 10;
}
@inline function isHex(c: u32): bool {
  return c - 0x30 < 10 || (c | 0x20) - 0x61 < 6;
}

/** The text ends in PAD zero bytes, which stop every loop here. */
function skipWs(p: usize): usize {
  while (isWs(load<u8>(p))) p++;
  return p;
}

/** p at a quote: the end of the string (after its closing quote), 0 when it is not valid JSON. */
function scanString(p: usize): usize {
  p++;
  let flags = PRESENT;
  const quote = i8x16.splat(0x22);
  const backslash = i8x16.splat(0x5c);
  const space = i8x16.splat(0x20);
  while (true) {
    const v = v128.load(p);
    const special = i8x16.bitmask(v128.or(v128.or(i8x16.eq(v, quote), i8x16.eq(v, backslash)), i8x16.lt_u(v, space)));
    const high = i8x16.bitmask(v);
    if (special == 0) {
      if (high != 0) flags |= NON_ASCII;
      p += 16;
      continue;
    }
    const k = ctz(special);
    if ((high & ((1 << k) - 1)) != 0) flags |= NON_ASCII;
    p += k;
    const c = load<u8>(p);
    if (c == 0x22) {
      stringFlags = flags;
      return p + 1;
    }
    if (c != 0x5c) return 0; // a control character, or the end of the text
    flags |= ESCAPED;
    const e = <u32>load<u8>(p + 1);
    if (e == 0x75) {
      if (!isHex(load<u8>(p + 2)) || !isHex(load<u8>(p + 3)) || !isHex(load<u8>(p + 4)) || !isHex(load<u8>(p + 5))) return 0;
      p += 6;
    } else if (e == 0x22 || e == 0x5c || e == 0x2f || e == 0x62 || e == 0x66 || e == 0x6e || e == 0x72 || e == 0x74) {
      p += 2;
    } else return 0;
  }
}

function scanNumber(p: usize): usize {
  const s = p;
  let plain = true;
  if (load<u8>(p) == 0x2d) p++;
  const d0 = p;
  let c = <u32>load<u8>(p);
  if (c == 0x30) {
    p++;
    if (d0 != s) plain = false; // -0 prints as 0
  } else if (c - 0x31 < 9) {
    p++;
    while (isDigit(load<u8>(p))) p++;
  } else return 0;
  if (p - d0 > 15) plain = false;
  if (load<u8>(p) == 0x2e) {
    plain = false;
    p++;
    if (!isDigit(load<u8>(p))) return 0;
    while (isDigit(load<u8>(p))) p++;
  }
  c = load<u8>(p);
  if (c == 0x65 || c == 0x45) {
    plain = false;
    p++;
    c = load<u8>(p);
    if (c == 0x2b || c == 0x2d) p++;
    if (!isDigit(load<u8>(p))) return 0;
    while (isDigit(load<u8>(p))) p++;
  }
  plainNumber = plain;
  return p;
}

/** true, false or null at p: its end, else 0. */
function scanLiteral(p: usize): usize {
  const w = load<u32>(p);
  if (w == 0x65757274 || w == 0x6c6c756e) return p + 4; // "true", "null"
  if (w == 0x736c6166 && load<u8>(p + 4) == 0x65) return p + 5; // "false"
  return 0;
}

function scanScalar(p: usize): usize {
  const c = <u32>load<u8>(p);
  if (c == 0x22) return scanString(p);
  if (c == 0x2d || isDigit(c)) return scanNumber(p);
  return scanLiteral(p);
}

/** p at `"` of a member's key: the start of its value, 0 when not valid. */
function memberValue(p: usize): usize {
  if (load<u8>(p) != 0x22) return 0;
  p = scanString(p);
  if (p == 0) return 0;
  p = skipWs(p);
  if (load<u8>(p) != 0x3a) return 0;
  return skipWs(p + 1);
}

/** Any JSON value at p: its end, or 0 when it is not valid JSON. Iterative; depth is bounded. */
function skipValue(p: usize): usize {
  let depth: i32 = 0;
  while (true) {
    let c = <u32>load<u8>(p);
    if (c == 0x7b || c == 0x5b) {
      if (depth >= MAX_DEPTH) return 0;
      store<u8>(stack + depth, <u8>c);
      depth++;
      p = skipWs(p + 1);
      if (<u32>load<u8>(p) != c + 2) {
        if (c == 0x7b) {
          p = memberValue(p);
          if (p == 0) return 0;
        }
        continue;
      }
      p++;
      depth--;
    } else {
      p = scanScalar(p);
      if (p == 0) return 0;
    }
    // A value ended at p: close what closes here, or go to the next value.
    while (true) {
      if (depth == 0) return p;
      p = skipWs(p);
      c = load<u8>(p);
      const open = <u32>load<u8>(stack + depth - 1);
      if (c == 0x2c) {
        p = skipWs(p + 1);
        if (open == 0x7b) {
          p = memberValue(p);
          if (p == 0) return 0;
        }
        break;
      }
      if (c != open + 2) return 0;
      p++;
      depth--;
    }
  }
}

// ---- the fields ---------------------------------------------------------------------------------------

/** Does the key at k (n bytes) spell s? */
function is(k: usize, n: usize, s: string): bool {
  if (<i32>n != s.length) return false;
  const q = changetype<usize>(s);
  for (let i: usize = 0; i < n; i++) if (<u32>load<u8>(k + i) != <u32>load<u16>(q + (i << 1))) return false;
  return true;
}

// Objects whose keys are read.
const L_RECORD = 0;
const L_IDENTITY = 1;
const L_SESSION = 2;
const L_ISSUER = 3;
const L_ATTRIBUTES = 4;
const L_RESPONSE = 5;
const L_CREDENTIALS = 6;
const L_RESOURCE = 7;

// Record keys that are not dictionary fields (those are their field numbers, below NF).
const K_ACCOUNT_ALT = 30;
const K_TIME = 31;
const K_EVENT_ID = 32;
const K_EVENT_ID_ALT = 33;
const K_REQUEST_ID = 34;
const K_REQUEST_ID_ALT = 35;
const K_SHARED_ID = 36;
const K_SHARED_ID_ALT = 37;
const K_READ_ONLY = 38;
const K_MANAGEMENT = 39;
const K_IDENTITY = 40;
const K_RESPONSE = 41;
const K_RESOURCES = 42;
const K_INSIGHT = 43;
// Keys of nested objects that are objects themselves.
const K_SESSION = 100;
const K_ISSUER = 101;
const K_ATTRIBUTES = 102;
const K_CREDENTIALS = 103;
// Resource keys.
const K_RES_TYPE = 110;
const K_RES_ARN = 111;

// Every key read, by level, in a table of words built once (defineKeys): a key at k of n bytes is
// found by comparing at most three 64-bit words with each key of its level and length, where a
// comparison of byte after byte with each candidate in turn took an eighth of this module's time
// (perf, a million events).
const KEY_MAX: usize = 24;
const KEY_SLOTS: usize = 12;
const KEY_ENTRY: usize = 32;
const KEY_BUCKETS: usize = 8 * (KEY_MAX + 1);
const keyCounts: usize = memory.data(<i32>KEY_BUCKETS);
const keyTable: usize = memory.data(<i32>(KEY_BUCKETS * KEY_SLOTS * KEY_ENTRY), 8);

/** The n <= 8 bytes of s from `from` as one little-endian word (s is ASCII). */
function wordOf(s: string, from: i32, n: i32): u64 {
  let w: u64 = 0;
  for (let i = n - 1; i >= 0; i--) w = (w << 8) | <u64>s.charCodeAt(from + i);
  return w;
}

function defineKey(level: i32, s: string, code: i32): void {
  const n = s.length;
  const b = <usize>level * (KEY_MAX + 1) + <usize>n;
  const i = <usize>load<u8>(keyCounts + b);
  if (<usize>n > KEY_MAX || i >= KEY_SLOTS) unreachable();
  const e = keyTable + (b * KEY_SLOTS + i) * KEY_ENTRY;
  store<u64>(e, wordOf(s, 0, n < 8 ? n : 8));
  store<u64>(e, n > 8 ? wordOf(s, n - 8, 8) : 0, 8);
  store<u64>(e, n > 16 ? wordOf(s, 8, 8) : 0, 16);
  store<i32>(e, code, 24);
  store<u8>(keyCounts + b, <u8>(i + 1));
}

let keysDefined = false;

function defineKeys(): void {
  if (keysDefined) return;
  keysDefined = true;
  defineKey(L_RECORD, 'eventVersion', 0);
  defineKey(L_RECORD, 'eventSource', 1);
  defineKey(L_RECORD, 'eventName', 2);
  defineKey(L_RECORD, 'eventType', 3);
  defineKey(L_RECORD, 'eventCategory', 4);
  defineKey(L_RECORD, 'awsRegion', 5);
  defineKey(L_RECORD, 'sourceIPAddress', 6);
  defineKey(L_RECORD, 'userAgent', 7);
  defineKey(L_RECORD, 'errorCode', 8);
  defineKey(L_RECORD, 'errorMessage', 9);
  defineKey(L_RECORD, 'recipientAccountId', F_ACCOUNT);
  defineKey(L_RECORD, 'vpcEndpointId', 11);
  defineKey(L_RECORD, 'apiVersion', 12);
  defineKey(L_RECORD, 'recipientAccountID', K_ACCOUNT_ALT);
  defineKey(L_RECORD, 'eventTime', K_TIME);
  defineKey(L_RECORD, 'eventID', K_EVENT_ID);
  defineKey(L_RECORD, 'eventId', K_EVENT_ID_ALT);
  defineKey(L_RECORD, 'requestID', K_REQUEST_ID);
  defineKey(L_RECORD, 'requestId', K_REQUEST_ID_ALT);
  defineKey(L_RECORD, 'sharedEventID', K_SHARED_ID);
  defineKey(L_RECORD, 'sharedEventId', K_SHARED_ID_ALT);
  defineKey(L_RECORD, 'readOnly', K_READ_ONLY);
  defineKey(L_RECORD, 'managementEvent', K_MANAGEMENT);
  defineKey(L_RECORD, 'userIdentity', K_IDENTITY);
  defineKey(L_RECORD, 'responseElements', K_RESPONSE);
  defineKey(L_RECORD, 'resources', K_RESOURCES);
  defineKey(L_RECORD, 'insightDetails', K_INSIGHT);
  defineKey(L_IDENTITY, 'type', 13);
  defineKey(L_IDENTITY, 'principalId', 14);
  defineKey(L_IDENTITY, 'arn', 15);
  defineKey(L_IDENTITY, 'accountId', 16);
  defineKey(L_IDENTITY, 'accessKeyId', F_UI_KEY);
  defineKey(L_IDENTITY, 'userName', 18);
  defineKey(L_IDENTITY, 'invokedBy', 19);
  defineKey(L_IDENTITY, 'sessionContext', K_SESSION);
  defineKey(L_SESSION, 'sessionIssuer', K_ISSUER);
  defineKey(L_SESSION, 'attributes', K_ATTRIBUTES);
  defineKey(L_SESSION, 'sourceIdentity', 25);
  defineKey(L_ISSUER, 'type', 20);
  defineKey(L_ISSUER, 'arn', 21);
  defineKey(L_ISSUER, 'userName', 22);
  defineKey(L_ATTRIBUTES, 'mfaAuthenticated', 23);
  defineKey(L_ATTRIBUTES, 'creationDate', 24);
  defineKey(L_RESPONSE, 'credentials', K_CREDENTIALS);
  defineKey(L_CREDENTIALS, 'accessKeyId', 26);
  defineKey(L_RESOURCE, 'type', K_RES_TYPE);
  defineKey(L_RESOURCE, 'ARN', K_RES_ARN);
  defineKey(L_RESOURCE, 'arn', K_RES_ARN + 1);
  defineKey(L_RESOURCE, 'ARNPrefix', K_RES_ARN + 2);
  defineKey(L_RESOURCE, 'arnPrefix', K_RES_ARN + 3);
}

/**
 * The code of the key at k (n bytes, unescaped) in an object of `level`, -1 for a key not read.
 * The text is padded, so the words past a short key's end can be loaded.
 */
function keyOf(level: i32, k: usize, n: usize): i32 {
  if (n > KEY_MAX) return -1;
  const b = <usize>level * (KEY_MAX + 1) + n;
  const count = <usize>load<u8>(keyCounts + b);
  if (count == 0) return -1;
  let w0 = load<u64>(k);
  if (n < 8) w0 &= (<u64>1 << (<u64>n << 3)) - 1;
  const w1: u64 = n > 8 ? load<u64>(k + n - 8) : 0;
  const w2: u64 = n > 16 ? load<u64>(k + 8) : 0;
  let e = keyTable + b * KEY_SLOTS * KEY_ENTRY;
  const last = e + count * KEY_ENTRY;
  while (e < last) {
    if (load<u64>(e) == w0 && load<u64>(e, 8) == w1 && load<u64>(e, 16) == w2) return load<i32>(e, 24);
    e += KEY_ENTRY;
  }
  return -1;
}

/** The record being written. */
let rec: usize = 0;
/** Dictionary ids of the resource being read: type, then ARN, arn, ARNPrefix, arnPrefix. */
const resType: usize = memory.data(4, 4);
const resArn: usize = memory.data(16, 8);
/** The record's alternative spellings, used when the first is null or absent. */
const accountAlt: usize = memory.data(4, 4);
/** (start, length, flags) of eventID, eventId, requestID, requestId, sharedEventID, sharedEventId. */
const spans: usize = memory.data(72, 8);

/** Where the last value scanned as a string starts, and its length (without quotes). */
let valueStart: usize = 0;
let valueLength: usize = 0;

/**
 * A value that normalize's str() turns into a string: its dictionary id, 0 for null. Other values
 * (objects, arrays, numbers that print otherwise, strings too long to keep) decline the record.
 * Returns the end of the value or 0.
 */
function stringValue(p: usize): usize {
  const c = <u32>load<u8>(p);
  let q: usize;
  let flags = PRESENT;
  if (c == 0x22) {
    q = scanString(p);
    if (q == 0) return 0;
    valueStart = p + 1;
    valueLength = q - 1 - valueStart;
    flags = stringFlags;
  } else if (c == 0x2d || isDigit(c)) {
    q = scanNumber(p);
    if (q == 0) return 0;
    if (!plainNumber) declined = true;
    valueStart = p;
    valueLength = q - p;
  } else if (c == 0x74 || c == 0x66) {
    q = scanLiteral(p);
    if (q == 0) return 0;
    valueStart = p;
    valueLength = q - p;
  } else if (c == 0x6e) {
    q = scanLiteral(p);
    valueStart = 0;
    valueLength = 0;
    return q;
  } else {
    declined = true;
    valueStart = 0;
    return skipValue(p);
  }
  if (valueLength > MAX_STRING) declined = true;
  stringFlags = flags;
  return q;
}

function dictValue(p: usize, dst: usize): usize {
  const q = stringValue(p);
  store<i32>(dst, valueStart == 0 || declined ? 0 : intern(valueStart, valueLength, stringFlags));
  return q;
}

function spanValue(p: usize, dst: usize): usize {
  const q = stringValue(p);
  if (valueStart == 0) {
    store<u32>(dst, 0, 8);
  } else {
    store<u32>(dst, <u32>(valueStart - textStart));
    store<u32>(dst, <u32>valueLength, 4);
    store<u32>(dst, stringFlags, 8);
  }
  return q;
}

/** normalize's bool(): true/false, or the strings true/True/TRUE and false/False/FALSE. */
function boolValue(p: usize, dst: usize): usize {
  const c = <u32>load<u8>(p);
  let v = NUM_NULL;
  let q: usize;
  if (c == 0x22) {
    q = scanString(p);
    if (q == 0) return 0;
    if (stringFlags & ESCAPED) declined = true;
    const n = q - p - 2;
    const k = p + 1;
    if (is(k, n, 'true') || is(k, n, 'True') || is(k, n, 'TRUE')) v = 1;
    else if (is(k, n, 'false') || is(k, n, 'False') || is(k, n, 'FALSE')) v = 0;
  } else if (c == 0x74 || c == 0x66) {
    q = scanLiteral(p);
    v = c == 0x74 ? 1 : 0;
  } else q = skipValue(p);
  store<i32>(dst, v);
  return q;
}

function d2(p: usize): i32 {
  const a = <u32>load<u8>(p) - 0x30;
  const b = <u32>load<u8>(p + 1) - 0x30;
  return a < 10 && b < 10 ? <i32>(a * 10 + b) : -1;
}

function daysFromCivil(y: i32, m: i32, d: i32): i32 {
  if (m <= 2) y--;
  const era = (y >= 0 ? y : y - 399) / 400;
  const yoe = y - era * 400;
  const doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

/** CloudTrail's own `2023-07-10T11:42:05Z`, as time.ts's canonical() and Date.UTC read it; else declines. */
function timeValue(p: usize): usize {
  if (load<u8>(p) != 0x22) {
    declined = true;
    return skipValue(p);
  }
  const q = scanString(p);
  if (q == 0) return 0;
  const k = p + 1;
  if (q - k - 1 != 20 || stringFlags != PRESENT) {
    declined = true;
    return q;
  }
  const c = d2(k);
  const y = d2(k + 2);
  const mo = d2(k + 5);
  const d = d2(k + 8);
  const h = d2(k + 11);
  const mi = d2(k + 14);
  const s = d2(k + 17);
  const ok =
    load<u8>(k + 4) == 0x2d && load<u8>(k + 7) == 0x2d && load<u8>(k + 10) == 0x54 && load<u8>(k + 13) == 0x3a && load<u8>(k + 16) == 0x3a && load<u8>(k + 19) == 0x5a &&
    (c | y | mo | d | h | mi | s) >= 0 && c * 100 + y >= 100 && mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h <= 24 && mi <= 59 && s <= 60;
  if (!ok) {
    declined = true;
    return q;
  }
  const days = daysFromCivil(c * 100 + y, mo, 1) + d - 1;
  store<f64>(rec, <f64>days * 86400000.0 + <f64>(h * 3600000 + mi * 60000 + s * 1000), O_TIME);
  return q;
}

function resourcesValue(p: usize): usize {
  if (load<u8>(p) != 0x5b) return skipValue(p);
  let count = 0;
  p = skipWs(p + 1);
  if (load<u8>(p) == 0x5d) return p + 1;
  while (true) {
    if (++count > MAX_RESOURCES) declined = true;
    if (load<u8>(p) == 0x7b) {
      store<i32>(resType, 0);
      memory.fill(resArn, 0, 16);
      p = object(p, L_RESOURCE);
      if (p == 0) return 0;
      if (pairCount >= MAX_PAIRS) overflow = true;
      else if (!declined) {
        let arn = 0;
        for (let i: usize = 0; i < 4 && arn == 0; i++) arn = load<i32>(resArn + (i << 2));
        const q = pairs + (<usize>pairCount << 3);
        store<i32>(q, load<i32>(resType));
        store<i32>(q, arn, 4);
        pairCount++;
      }
    } else {
      p = skipValue(p);
      if (p == 0) return 0;
    }
    p = skipWs(p);
    const c = load<u8>(p);
    if (c == 0x5d) return p + 1;
    if (c != 0x2c) return 0;
    p = skipWs(p + 1);
  }
}

/** A value whose keys are read when it is an object (any other value leaves its fields null). */
function nested(p: usize, level: i32): usize {
  return load<u8>(p) == 0x7b ? object(p, level) : skipValue(p);
}

function valueOf(key: i32, p: usize): usize {
  if (key < NF) {
    const q = dictValue(p, rec + O_DICT + (<usize>key << 2));
    if (key == F_UI_KEY && valueStart != 0 && valueLength == 0) store<i32>(rec + O_DICT + (<usize>key << 2), 0); // '' is null
    if (key == F_TYPE && valueStart != 0 && ((stringFlags & ESCAPED) != 0 || is(valueStart, valueLength, 'AwsCloudTrailInsight'))) declined = true; // unwrap's kind
    return q;
  }
  switch (key) {
    case K_ACCOUNT_ALT:
      return dictValue(p, accountAlt);
    case K_TIME:
      return timeValue(p);
    case K_EVENT_ID:
    case K_EVENT_ID_ALT:
    case K_REQUEST_ID:
    case K_REQUEST_ID_ALT:
    case K_SHARED_ID:
    case K_SHARED_ID_ALT:
      return spanValue(p, spans + <usize>(key - K_EVENT_ID) * 12);
    case K_READ_ONLY:
      return boolValue(p, rec + O_READ_ONLY);
    case K_MANAGEMENT:
      return boolValue(p, rec + O_MANAGEMENT);
    case K_IDENTITY:
      return nested(p, L_IDENTITY);
    case K_SESSION:
      return nested(p, L_SESSION);
    case K_ISSUER:
      return nested(p, L_ISSUER);
    case K_ATTRIBUTES:
      return nested(p, L_ATTRIBUTES);
    case K_RESPONSE:
      return nested(p, L_RESPONSE);
    case K_CREDENTIALS:
      return nested(p, L_CREDENTIALS);
    case K_RESOURCES:
      return resourcesValue(p);
    case K_INSIGHT:
      declined = true;
      return skipValue(p);
    case K_RES_TYPE:
      return dictValue(p, resType);
    default:
      return dictValue(p, resArn + (<usize>(key - K_RES_ARN) << 2));
  }
}

/**
 * An object whose keys are read, at its `{`: its end, or 0 when not valid JSON. A key read twice or
 * spelled with escapes declines the record (JSON.parse keeps the last; an escape may spell a key).
 */
function object(p: usize, level: i32): usize {
  let seen: u64 = 0;
  p = skipWs(p + 1);
  if (load<u8>(p) == 0x7d) return p + 1;
  while (true) {
    if (load<u8>(p) != 0x22) return 0;
    const k = p + 1;
    p = scanString(p);
    if (p == 0) return 0;
    const n = p - 1 - k;
    if (stringFlags & ESCAPED) declined = true;
    const key = keyOf(level, k, n);
    p = skipWs(p);
    if (load<u8>(p) != 0x3a) return 0;
    p = skipWs(p + 1);
    if (key >= 0) {
      const bit = <u64>1 << <u64>(key & 63);
      if (seen & bit) declined = true;
      seen |= bit;
      p = valueOf(key, p);
    } else p = skipValue(p);
    if (p == 0) return 0;
    p = skipWs(p);
    const c = load<u8>(p);
    if (c == 0x7d) return p + 1;
    if (c != 0x2c) return 0;
    p = skipWs(p + 1);
  }
}

function readRecord(p: usize): usize {
  declined = false;
  for (let i: usize = 0; i < <usize>NF; i++) store<i32>(rec + O_DICT + (i << 2), 0);
  store<i32>(rec, NUM_NULL, O_READ_ONLY);
  store<i32>(rec, NUM_NULL, O_MANAGEMENT);
  store<f64>(rec, NaN, O_TIME);
  store<i32>(accountAlt, 0);
  for (let i: usize = 0; i < 6; i++) store<u32>(spans + i * 12, 0, 8);
  const resStart = pairCount;
  const q = object(p, L_RECORD);
  if (q == 0) return 0;
  if (isNaN(load<f64>(rec, O_TIME))) declined = true;
  if (load<i32>(rec, O_DICT + (<usize>F_ACCOUNT << 2)) == 0) store<i32>(rec, load<i32>(accountAlt), O_DICT + (<usize>F_ACCOUNT << 2));
  for (let t = 0; t < 3; t++) {
    const first = spans + <usize>(t * 24);
    const from = load<u32>(first, 8) != 0 ? first : first + 12;
    const dst = rec + O_EVENT_ID + <usize>(t * 12);
    store<u32>(dst, load<u32>(from));
    store<u32>(dst, load<u32>(from, 4), 4);
    store<u32>(dst, load<u32>(from, 8), 8);
  }
  if (declined) pairCount = resStart;
  store<i32>(rec, resStart, O_RES_START);
  store<i32>(rec, pairCount - resStart, O_RES_COUNT);
  store<i32>(rec, declined ? JS : OK, O_STATUS);
  return q;
}

/** `"Records"` at p, without escapes. */
function recordsKey(p: usize): bool {
  return load<u64>(p) == 0x7364726f63655222 && load<u8>(p + 8) == 0x22; // "Records"
}

/**
 * Reads the text of n bytes at textBuffer(n): the number of records written to records(), or -1 when
 * the text is not exactly one valid `{"Records": [...]}` object, or holds more than this call can take.
 * A record's status is OK (its fields are written) or JS (valid JSON the JavaScript path must read).
 */
export function extract(n: usize): i32 {
  // No-ops after textBuffer(n), which the caller calls first: extract itself never grows the memory.
  setup();
  reserveTable();
  textStart = textBuf;
  textEnd = textBuf + n;
  memory.fill(textEnd, 0, PAD);
  pendingCount = 0;
  pairCount = 0;
  overflow = false;
  let p = skipWs(textStart);
  if (load<u8>(p) != 0x7b) return -1;
  p = skipWs(p + 1);
  if (!recordsKey(p)) return -1;
  p = skipWs(p + 9);
  if (load<u8>(p) != 0x3a) return -1;
  p = skipWs(p + 1);
  if (load<u8>(p) != 0x5b) return -1;
  p = skipWs(p + 1);
  let count: i32 = 0;
  if (load<u8>(p) != 0x5d) {
    while (true) {
      if (count >= MAX_RECORDS) return -1;
      rec = out + <usize>count * STRIDE;
      let q: usize;
      if (load<u8>(p) == 0x7b) q = readRecord(p);
      else {
        q = skipValue(p);
        store<i32>(rec, JS, O_STATUS);
      }
      if (q == 0 || overflow) return -1;
      store<u32>(rec, <u32>(p - textStart), O_START);
      store<u32>(rec, <u32>(q - textStart), O_END);
      count++;
      p = skipWs(q);
      const c = load<u8>(p);
      if (c == 0x5d) break;
      if (c != 0x2c) return -1;
      p = skipWs(p + 1);
    }
  }
  p = skipWs(p + 1);
  if (load<u8>(p) != 0x7d) return -1;
  p = skipWs(p + 1);
  return p == textEnd ? count : -1;
}

/** After a declined call: the strings it met are forgotten until they are met again. */
export function abandon(): void {
  for (let k: i32 = 0; k < pendingCount; k++) store<i32>(load<u32>(pending + (<usize>k << 4), 12), UNRESOLVED, 12);
  pendingCount = 0;
}

// ---- batch rows -----------------------------------------------------------------------------------
// The rows of records read here, as a parse worker's batch holds them (protocol.ts): per record its
// dictionary ids (DICT_COLUMNS order, which is this module's field order), its numbers, and its
// three texts (event, request and shared event id) as UTF-8. JavaScript copies each region into its
// batch whole: per record, it copied each of them itself (a seventh of a parse worker's time, perf).

/** A dictionary id of a record read: its JavaScript id, once JavaScript has given the pending strings theirs. */
@inline function idOf(v: i32): i32 {
  return v >= 0 ? v : load<i32>(<usize>load<u32>(pending + (<usize>(-v - 1) << 4), 12), 12);
}

/** Whether the text at `t` (start, length, flags) can be emitted: absent, or plain and not too long. */
@inline function plainText(t: usize): bool {
  const flags = load<u32>(t, 8);
  return flags == 0 || (flags == PRESENT && <usize>load<i32>(t, 4) <= MAX_STRING);
}

/**
 * Whether emit can write every record of the last extract (count of them): each read here, its texts
 * absent or plain ASCII without escapes, its eventID present and not empty. Otherwise the caller
 * takes each record its own way.
 */
export function emittable(count: i32): bool {
  for (let i = 0; i < count; i++) {
    const rec = out + <usize>i * STRIDE;
    if (load<i32>(rec, O_STATUS) != OK) return false;
    if (load<u32>(rec, O_EVENT_ID + 8) != PRESENT || load<i32>(rec, O_EVENT_ID + 4) == 0) return false;
    if (!plainText(rec + O_EVENT_ID) || !plainText(rec + O_REQUEST_ID) || !plainText(rec + O_SHARED_ID)) return false;
  }
  return true;
}

/**
 * Writes records [from, from + n) of the last extract (n <= EMIT_MAX; all emittable) as batch rows
 * into the emit regions: numbers with the given source id, source index of the first record and
 * block id (a record's offset is where it starts in the text); resources as (record - from, type id,
 * ARN id). Returns the bytes of texts written; emitResources() says how many resources.
 */
export function emit(from: i32, n: i32, sourceId: f64, sourceIndex: f64, blk: f64): i32 {
  let bytes: usize = 0;
  let res: i32 = 0;
  for (let i = 0; i < n; i++) {
    const rec = out + <usize>(from + i) * STRIDE;
    const d = emitDict + <usize>i * NF * 4;
    for (let f: usize = 0; f < <usize>NF; f++) store<i32>(d + (f << 2), idOf(load<i32>(rec + O_DICT + (f << 2))));
    const m = emitNums + <usize>i * NNUM * 8;
    const start = load<u32>(rec, O_START);
    store<f64>(m, load<f64>(rec, O_TIME));
    store<f64>(m, <f64>load<i32>(rec, O_READ_ONLY), 8);
    store<f64>(m, <f64>load<i32>(rec, O_MANAGEMENT), 16);
    store<f64>(m, sourceId, 24);
    store<f64>(m, sourceIndex + <f64>i, 32);
    store<f64>(m, blk, 40);
    store<f64>(m, <f64>start, 48);
    store<f64>(m, <f64>(load<u32>(rec, O_END) - start), 56);
    store<f64>(m, 0, 64);
    for (let k: usize = 0; k < 3; k++) {
      const t = rec + O_EVENT_ID + k * 12;
      const slot = (<usize>i * 3 + k) << 2;
      store<u32>(emitStarts + slot, <u32>bytes);
      if (load<u32>(t, 8) == 0) {
        store<i32>(emitLengths + slot, -1);
        continue;
      }
      const len = <usize>load<i32>(t, 4);
      store<i32>(emitLengths + slot, <i32>len);
      // 16 bytes at a time: the text ends in PAD zero bytes, and the region has 16 to spare.
      const src = textStart + <usize>load<u32>(t);
      const dst = emitBytes + bytes;
      for (let c: usize = 0; c < len; c += 16) v128.store(dst + c, v128.load(src + c));
      bytes += len;
    }
    const first = load<i32>(rec, O_RES_START);
    const last = first + load<i32>(rec, O_RES_COUNT);
    for (let k = first; k < last; k++) {
      const pr = pairs + (<usize>k << 3);
      const r = emitRes + <usize>res * 12;
      store<i32>(r, i);
      store<i32>(r, idOf(load<i32>(pr)), 4);
      store<i32>(r, idOf(load<i32>(pr, 4)), 8);
      res++;
    }
  }
  emitResCount = res;
  return <i32>bytes;
}

export function emitResources(): i32 {
  return emitResCount;
}
/** The emit regions: dictionary ids, numbers, text starts, text lengths, text bytes, resources. */
export function emitRegion(which: i32): usize {
  switch (which) {
    case 0:
      return emitDict;
    case 1:
      return emitNums;
    case 2:
      return emitStarts;
    case 3:
      return emitLengths;
    case 4:
      return emitBytes;
    default:
      return emitRes;
  }
}
