/**
 * SQLite b-trees built bottom-up from sorted input, straight into the bytes of a database file
 * (https://www.sqlite.org/fileformat2.html#b_tree_pages). Rows and index entries arrive in key
 * order, so every page is filled once and never split: building a table or an index costs about
 * what copying its bytes does, where SQLite's own INSERT and CREATE INDEX pay per row for binding,
 * sorting and rebalancing.
 *
 * Limits: no free pages, no auto-vacuum, pages are never reused; the result is checked by
 * `PRAGMA integrity_check` in the tests.
 */
import { copyBytes, putVarint, varintLength } from './record';
import { reassigned } from '../reassigned';

/** Resizable ArrayBuffers (ES2024; Node 20 has them) are not in the ES2022 typings. */
type ResizableBuffer = ArrayBuffer & { resize(bytes: number): void };
const ResizableArrayBuffer = ArrayBuffer as unknown as new (bytes: number, opts: { maxByteLength: number }) => ResizableBuffer;

/** SQLite's PENDING_BYTE: the page holding it is reserved for file locking and never holds data. */
const LOCK_BYTE = 2 ** 30;

/** The largest file an image may grow to: sql.js keeps a database file in one Uint8Array. */
export const MAX_IMAGE_BYTES = 2 ** 32 - 2 ** 16;

/**
 * The database file being built, page 1 reserved for the schema. Its buffer is resizable, so it
 * grows in place without copying what is written (and without touching memory twice, which costs
 * ~2–3 ms per MB on these machines).
 */
export class PageFile {
  private readonly buffer: ResizableBuffer;
  private view: Uint8Array;
  pages = 1;
  /** Overflow pages written (payloads too large for their b-tree page). */
  overflowPages = 0;

  constructor(readonly pageSize: number) {
    this.buffer = new ResizableArrayBuffer(pageSize * 256, { maxByteLength: MAX_IMAGE_BYTES });
    this.view = new Uint8Array(this.buffer);
    reassigned(this, ['view']);
  }

  /** Appends a page; returns its number (1-based). */
  alloc(): number {
    // SQLite never uses the page holding the file's byte 2^30 (its lock byte): a b-tree that
    // points to it is corrupt. It stays in the file, empty and on no list.
    const skip = this.pages + 1 === this.lockPage ? 1 : 0;
    const end = (this.pages + 1 + skip) * this.pageSize;
    if (end > this.view.length) {
      if (end > MAX_IMAGE_BYTES) throw new Error(`the store would exceed ${MAX_IMAGE_BYTES} bytes, the most one sql.js database file holds`);
      this.buffer.resize(Math.min(MAX_IMAGE_BYTES, Math.max(end, Math.floor(this.view.length * 1.25) + (16 << 20))));
      this.view = new Uint8Array(this.buffer);
    }
    this.pages += 1 + skip;
    return this.pages;
  }

  /** The lock-byte page: the one holding byte 2^30 of the file (SQLite's PENDING_BYTE). */
  private get lockPage(): number {
    return Math.floor(LOCK_BYTE / this.pageSize) + 1;
  }

  page(no: number): Uint8Array {
    return this.view.subarray((no - 1) * this.pageSize, no * this.pageSize);
  }

  /** The whole file (a view of the builder's buffer, not a copy). */
  bytes(): Uint8Array {
    return this.view.subarray(0, this.pages * this.pageSize);
  }

  /**
   * Appends `count` free pages on SQLite's freelist (trunk pages listing leaf pages), so the first
   * writes after opening reuse them instead of growing the file, which sql.js does by copying it.
   * Returns [first trunk page, pages on the list].
   */
  freePages(count: number): [number, number] {
    const perTrunk = this.pageSize / 4 - 8;
    let first = 0;
    let prev = 0;
    let total = 0;
    while (total < count) {
      const trunk = this.alloc();
      const leaves = Math.min(perTrunk, Math.max(0, count - total - 1));
      const listed: number[] = [];
      for (let i = 0; i < leaves; i++) listed.push(this.alloc());
      const p = this.page(trunk);
      put32(p, 0, 0);
      put32(p, 4, leaves);
      listed.forEach((no, i) => put32(p, 8 + 4 * i, no));
      if (prev) put32(this.page(prev), 0, trunk);
      else first = trunk;
      prev = trunk;
      total += 1 + leaves;
    }
    return [first, total];
  }

  /** Writes a payload's overflow part as a chain of pages; returns the first page. */
  overflow(payload: Uint8Array, from: number, to: number): number {
    const room = this.pageSize - 4;
    const first = this.alloc();
    let no = first;
    this.overflowPages++;
    for (let at = from; at < to; at += room) {
      const end = Math.min(to, at + room);
      const next = end < to ? this.alloc() : 0;
      if (next) this.overflowPages++;
      const p = this.page(no);
      p.set(payload.subarray(at, end), 4);
      put32(p, 0, next);
      no = next;
    }
    return first;
  }
}

export function put32(p: Uint8Array, at: number, v: number): void {
  p[at] = v >>> 24;
  p[at + 1] = (v >>> 16) & 0xff;
  p[at + 2] = (v >>> 8) & 0xff;
  p[at + 3] = v & 0xff;
}

function put16(p: Uint8Array, at: number, v: number): void {
  p[at] = (v >>> 8) & 0xff;
  p[at + 1] = v & 0xff;
}

/** How much of a payload of `size` bytes stays on the page (the rest overflows). */
function localSize(usable: number, size: number, maxLocal: number): number {
  if (size <= maxLocal) return size;
  const minLocal = Math.floor(((usable - 12) * 32) / 255) - 23;
  const k = minLocal + ((size - minLocal) % (usable - 4));
  return k <= maxLocal ? k : minLocal;
}

const LEAF_TABLE = 0x0d;
const INTERIOR_TABLE = 0x05;
export const LEAF_INDEX = 0x0a;
export const INTERIOR_INDEX = 0x02;

/**
 * One page being filled: cells are written from the end of the page towards its header. The page's
 * number is taken from the file when its first cell arrives (or at `flush`), so an empty builder
 * can wait. The bytes are built in a page of plain memory and copied into the file at `flush`:
 * writes into a view of the file's resizable buffer cost two to three times as much (timing script).
 */
class PageBuilder {
  private readonly page: Uint8Array;
  private no = 0;
  private cells = 0;
  private content: number;
  /** Where the cell pointers start: after the page header. */
  private readonly pointers: number;
  /** Size of each cell (popLast needs the last one's). */
  private readonly sizes: Int32Array;

  constructor(
    private readonly file: PageFile,
    private readonly type: number,
    /** Page 1 keeps the file header in its first 100 bytes. */
    private readonly headerAt = 0,
    private readonly fixedPage = 0,
  ) {
    this.content = file.pageSize;
    this.page = new Uint8Array(file.pageSize);
    this.pointers = headerAt + (type === LEAF_TABLE || type === LEAF_INDEX ? 8 : 12);
    // Every cell takes two bytes of pointer and at least two of content.
    this.sizes = new Int32Array(file.pageSize >>> 2);
  }

  get count(): number {
    return this.cells;
  }

  /** The page's bytes until `flush` (its number is taken from the file if it was not yet). */
  get bytes(): Uint8Array {
    if (this.no === 0) this.no = this.fixedPage || this.file.alloc();
    return this.page;
  }

  fits(cellSize: number): boolean {
    return this.pointers + 2 * (this.cells + 1) + cellSize <= this.content;
  }

  /** Reserves `size` bytes for the next cell, and writes its pointer; returns where to write the cell in `bytes`. */
  add(size: number): number {
    const b = this.bytes;
    const at = this.content - size;
    const ptr = this.pointers + 2 * this.cells;
    b[ptr] = at >>> 8;
    b[ptr + 1] = at & 0xff;
    this.sizes[this.cells++] = size;
    this.content = at;
    return at;
  }

  /** Writes the header; returns the page's number and starts over. */
  flush(rightChild = 0): number {
    const b = this.bytes;
    const h = this.headerAt;
    b[h] = this.type;
    put16(b, h + 1, 0);
    put16(b, h + 3, this.cells);
    put16(b, h + 5, this.content === 65536 ? 0 : this.content);
    b[h + 7] = 0;
    if (this.pointers - h === 12) put32(b, h + 8, rightChild);
    const no = this.no;
    this.file.page(no).set(b.subarray(h), h);
    b.fill(0);
    this.no = 0;
    this.cells = 0;
    this.content = this.file.pageSize;
    return no;
  }

  /** Takes back the cell added last; returns a copy of its bytes. */
  popLast(): Uint8Array {
    const size = this.sizes[--this.cells] as number;
    const at = this.content;
    const b = this.bytes;
    const cell = b.slice(at, at + size);
    b.fill(0, at, at + size);
    const ptr = this.pointers + 2 * this.cells;
    b[ptr] = 0;
    b[ptr + 1] = 0;
    this.content += size;
    return cell;
  }
}

/**
 * A child page and the key after it: for tables the child's largest rowid; for indexes the encoded
 * cell (size, local part, overflow page) of the entry that separates it from the next child.
 */
interface Child {
  readonly page: number;
  readonly key: number | Uint8Array;
}

/** Encodes a payload as a cell body: [varint size][local part][first overflow page]. */
function encodeCell(file: PageFile, payload: Uint8Array, size: number, maxLocal: number): Uint8Array {
  const local = localSize(file.pageSize, size, maxLocal);
  const cell = new Uint8Array(varintLength(size) + local + (local < size ? 4 : 0));
  const p = putVarint(cell, 0, size);
  cell.set(payload.subarray(0, local), p);
  if (local < size) put32(cell, p + local, file.overflow(payload, local, size));
  return cell;
}

function cellSize(pageSize: number, size: number, maxLocal: number): number {
  const local = localSize(pageSize, size, maxLocal);
  return varintLength(size) + local + (local < size ? 4 : 0);
}

function indexMaxLocal(pageSize: number): number {
  return Math.floor(((pageSize - 12) * 64) / 255) - 23;
}

/**
 * Builds the interior levels above `children` and returns the root page. Each interior page holds
 * cells (child, key) and its last child as its right pointer; that child's key moves up a level. A
 * last page left without cells takes the last child of the page before it.
 */
function buildInterior(file: PageFile, children: readonly Child[], index: boolean): number {
  const size = (c: Child): number => 2 + 4 + (typeof c.key === 'number' ? varintLength(c.key) : c.key.length);
  const room = file.pageSize - 12;
  let level = children;
  while (level.length > 1) {
    const groups: Child[][] = [];
    let group: Child[] = [];
    let used = 0;
    level.forEach((c, i) => {
      group.push(c);
      if (i === level.length - 1) return;
      const s = size(c);
      if (used + s > room) {
        groups.push(group);
        group = [];
        used = 0;
      } else used += s;
    });
    groups.push(group);
    const last = groups[groups.length - 1] as Child[];
    const before = groups[groups.length - 2];
    if (last.length === 1 && before) last.unshift(before.pop() as Child);
    level = groups.map((g) => writeInterior(file, g, index));
  }
  return (level[0] as Child).page;
}

function writeInterior(file: PageFile, group: readonly Child[], index: boolean): Child {
  const page = new PageBuilder(file, index ? INTERIOR_INDEX : INTERIOR_TABLE);
  for (let i = 0; i < group.length - 1; i++) {
    const c = group[i] as Child;
    const key = c.key;
    const at = page.add(4 + (typeof key === 'number' ? varintLength(key) : key.length));
    put32(page.bytes, at, c.page);
    if (typeof key === 'number') putVarint(page.bytes, at + 4, key);
    else page.bytes.set(key, at + 4);
  }
  const right = group[group.length - 1] as Child;
  return { page: page.flush(right.page), key: right.key };
}

/** A table b-tree written from rows in ascending rowid order. */
export class TableBuilder {
  private readonly leaf: PageBuilder;
  private readonly leaves: Child[] = [];
  private lastRowid = 0;
  private readonly maxLocal: number;

  constructor(private readonly file: PageFile) {
    this.leaf = new PageBuilder(file, LEAF_TABLE);
    this.maxLocal = file.pageSize - 35;
  }

  /** Adds row `rowid` with payload `payload[0, size)`. */
  add(rowid: number, payload: Uint8Array, size = payload.length): void {
    const head = varintLength(rowid);
    if (!this.leaf.fits(head + cellSize(this.file.pageSize, size, this.maxLocal))) this.flushLeaf();
    if (size <= this.maxLocal) {
      const cell = this.leaf.add(varintLength(size) + head + size);
      const b = this.leaf.bytes;
      let at = putVarint(b, cell, size);
      at = putVarint(b, at, rowid);
      if (size === payload.length) b.set(payload, at);
      else copyBytes(b, at, payload, 0, size);
      this.lastRowid = rowid;
      return;
    }
    const body = encodeCell(this.file, payload, size, this.maxLocal);
    const at = this.leaf.add(head + body.length);
    // The cell is [varint size][varint rowid][payload…]: the rowid goes between size and payload.
    const sizeLen = varintLength(size);
    this.leaf.bytes.set(body.subarray(0, sizeLen), at);
    putVarint(this.leaf.bytes, at + sizeLen, rowid);
    this.leaf.bytes.set(body.subarray(sizeLen), at + sizeLen + head);
    this.lastRowid = rowid;
  }

  private flushLeaf(): void {
    this.leaves.push({ page: this.leaf.flush(), key: this.lastRowid });
  }

  /** Writes what is pending; returns the root page. */
  finish(): number {
    if (this.leaf.count > 0 || this.leaves.length === 0) this.flushLeaf();
    return buildInterior(this.file, this.leaves, false);
  }
}

/** An index b-tree written from entries in ascending key order. */
export class IndexBuilder {
  private cur: PageBuilder;
  /** The last full leaf, not yet written, and the entry after it (it goes up as their divider). */
  private full: PageBuilder | null = null;
  private divider: Uint8Array | null = null;
  private spare: PageBuilder;
  private readonly children: Child[] = [];
  private readonly maxLocal: number;

  constructor(private readonly file: PageFile) {
    this.cur = new PageBuilder(file, LEAF_INDEX);
    this.spare = new PageBuilder(file, LEAF_INDEX);
    this.maxLocal = indexMaxLocal(file.pageSize);
  }

  /** The current leaf's bytes, where `reserve` made room. */
  get leafBytes(): Uint8Array {
    return this.cur.bytes;
  }

  /**
   * Makes room for an entry of `size` bytes (under 128) on the current leaf and returns where to
   * write it in `leafBytes`; -1 when the leaf is full, and the entry must go through `add`.
   */
  reserve(size: number): number {
    if (size >= 128 || size > this.maxLocal) return -1;
    if (this.cur.count !== 0 && !this.cur.fits(size + 1)) return -1;
    const start = this.cur.add(size + 1);
    this.cur.bytes[start] = size;
    return start + 1;
  }

  /** Adds an entry: the first `size` bytes of `payload` (all of it by default). */
  add(payload: Uint8Array, size = payload.length): void {
    if (size <= this.maxLocal) {
      const cell = varintLength(size) + size;
      if (this.cur.count === 0 || this.cur.fits(cell)) {
        const start = this.cur.add(cell);
        const b = this.cur.bytes;
        const at = putVarint(b, start, size);
        for (let i = 0; i < size; i++) b[at + i] = payload[i] as number;
        return;
      }
    }
    const whole = payload.subarray(0, size);
    if (this.cur.count > 0 && !this.cur.fits(cellSize(this.file.pageSize, size, this.maxLocal))) {
      this.writeFull();
      this.full = this.cur;
      this.cur = this.spare;
      this.divider = encodeCell(this.file, whole, size, this.maxLocal);
      return;
    }
    const body = encodeCell(this.file, whole, size, this.maxLocal);
    const at = this.cur.add(body.length);
    this.cur.bytes.set(body, at);
  }

  private writeFull(): void {
    if (!this.full || !this.divider) return;
    this.children.push({ page: this.full.flush(), key: this.divider });
    this.spare = this.full;
    this.full = null;
  }

  finish(): number {
    if (this.full && this.divider && this.cur.count === 0) {
      // The last entry became a divider with nothing after it: it moves into the last leaf, and the
      // last entry of the full leaf becomes the divider instead (its cell moves unchanged).
      const at = this.cur.add(this.divider.length);
      this.cur.bytes.set(this.divider, at);
      this.divider = this.full.popLast();
    }
    this.writeFull();
    this.children.push({ page: this.cur.flush(), key: new Uint8Array(0) });
    return buildInterior(this.file, this.children, true);
  }
}

/** Writes page 1: the file header's 100 bytes are left to the caller, then one table leaf. */
export function writeFirstPage(file: PageFile, rows: readonly { readonly rowid: number; readonly payload: Uint8Array }[]): void {
  const page = new PageBuilder(file, LEAF_TABLE, 100, 1);
  for (const r of rows) {
    const size = r.payload.length;
    const cell = varintLength(size) + varintLength(r.rowid) + size;
    if (size > file.pageSize - 35 || !page.fits(cell)) throw new Error('the schema does not fit on the first page');
    const start = page.add(cell);
    const b = page.bytes;
    b.set(r.payload, putVarint(b, putVarint(b, start, size), r.rowid));
  }
  page.flush();
}
