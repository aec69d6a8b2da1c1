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
import { putVarint, varintLength } from './record';

/**
 * The database file being built: pages in fixed-size chunks (so growing never copies what is
 * written), page 1 reserved for the schema. `bytes()` joins them once at the end.
 */
export class PageFile {
  private readonly chunks: Uint8Array[] = [];
  private readonly perChunk: number;
  pages = 1;

  constructor(readonly pageSize: number) {
    this.perChunk = Math.max(1, Math.floor((16 << 20) / pageSize));
    this.chunks.push(new Uint8Array(this.perChunk * pageSize));
  }

  /** Appends a page; returns its number (1-based). */
  alloc(): number {
    if (this.pages % this.perChunk === 0) this.chunks.push(new Uint8Array(this.perChunk * this.pageSize));
    return ++this.pages;
  }

  page(no: number): Uint8Array {
    const i = no - 1;
    const chunk = this.chunks[Math.floor(i / this.perChunk)] as Uint8Array;
    const at = (i % this.perChunk) * this.pageSize;
    return chunk.subarray(at, at + this.pageSize);
  }

  /** The whole file in one buffer; the chunks are released. */
  bytes(): Uint8Array {
    const out = new Uint8Array(this.pages * this.pageSize);
    let at = 0;
    for (const c of this.chunks) {
      const n = Math.min(c.length, out.length - at);
      out.set(c.subarray(0, n), at);
      at += n;
    }
    this.chunks.length = 0;
    return out;
  }

  /** Writes a payload's overflow part as a chain of pages; returns the first page. */
  overflow(payload: Uint8Array, from: number, to: number): number {
    const room = this.pageSize - 4;
    const first = this.alloc();
    let no = first;
    for (let at = from; at < to; at += room) {
      const end = Math.min(to, at + room);
      const next = end < to ? this.alloc() : 0;
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
const LEAF_INDEX = 0x0a;
const INTERIOR_INDEX = 0x02;

/** One page being filled: cells are written from the end of the page towards its header. */
class PageBuilder {
  readonly bytes: Uint8Array;
  private cells = 0;
  private content: number;
  private readonly offsets: number[] = [];
  private readonly sizes: number[] = [];

  constructor(
    pageSize: number,
    private readonly type: number,
    private readonly headerAt = 0,
  ) {
    this.bytes = new Uint8Array(pageSize);
    this.content = pageSize;
  }

  get count(): number {
    return this.cells;
  }

  private get headerSize(): number {
    return this.type === LEAF_TABLE || this.type === LEAF_INDEX ? 8 : 12;
  }

  fits(cellSize: number, reserve = 0): boolean {
    return this.headerAt + this.headerSize + 2 * (this.cells + 1) + cellSize + reserve <= this.content;
  }

  /** Reserves `size` bytes for the next cell; returns where to write it. */
  add(size: number): number {
    this.content -= size;
    this.offsets.push(this.content);
    this.sizes.push(size);
    this.cells++;
    return this.content;
  }

  /** Writes the header and cell pointers into `out` (a page of the file), then resets. */
  flush(out: Uint8Array, rightChild = 0): void {
    const b = this.bytes;
    const h = this.headerAt;
    b[h] = this.type;
    put16(b, h + 1, 0);
    put16(b, h + 3, this.cells);
    put16(b, h + 5, this.content === 65536 ? 0 : this.content);
    b[h + 7] = 0;
    if (this.headerSize === 12) put32(b, h + 8, rightChild);
    let at = h + this.headerSize;
    for (const off of this.offsets) {
      put16(b, at, off);
      at += 2;
    }
    // Page 1 keeps the file header the caller wrote in its first 100 bytes.
    out.set(b.subarray(h), h);
    b.fill(0);
    this.cells = 0;
    this.content = b.length;
    this.offsets.length = 0;
    this.sizes.length = 0;
  }

  /** Takes back the cell added last; returns a copy of its bytes. */
  popLast(): Uint8Array {
    const at = this.offsets.pop() as number;
    const size = this.sizes.pop() as number;
    const cell = this.bytes.slice(at, at + size);
    this.bytes.fill(0, at, at + size);
    this.content += size;
    this.cells--;
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
  const page = new PageBuilder(file.pageSize, index ? INTERIOR_INDEX : INTERIOR_TABLE);
  for (let i = 0; i < group.length - 1; i++) {
    const c = group[i] as Child;
    const key = c.key;
    const at = page.add(4 + (typeof key === 'number' ? varintLength(key) : key.length));
    put32(page.bytes, at, c.page);
    if (typeof key === 'number') putVarint(page.bytes, at + 4, key);
    else page.bytes.set(key, at + 4);
  }
  const right = group[group.length - 1] as Child;
  const no = file.alloc();
  page.flush(file.page(no), right.page);
  return { page: no, key: right.key };
}

/** A table b-tree written from rows in ascending rowid order. */
export class TableBuilder {
  private readonly leaf: PageBuilder;
  private readonly leaves: Child[] = [];
  private lastRowid = 0;
  private readonly maxLocal: number;

  constructor(private readonly file: PageFile) {
    this.leaf = new PageBuilder(file.pageSize, LEAF_TABLE);
    this.maxLocal = file.pageSize - 35;
  }

  add(rowid: number, payload: Uint8Array): void {
    const size = payload.length;
    const head = varintLength(rowid);
    if (!this.leaf.fits(head + cellSize(this.file.pageSize, size, this.maxLocal))) this.flushLeaf();
    if (size <= this.maxLocal) {
      const b = this.leaf.bytes;
      let at = putVarint(b, this.leaf.add(varintLength(size) + head + size), size);
      at = putVarint(b, at, rowid);
      b.set(payload.subarray(0, size), at);
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
    const no = this.file.alloc();
    this.leaf.flush(this.file.page(no));
    this.leaves.push({ page: no, key: this.lastRowid });
  }

  /** Writes what is pending; returns the root page. */
  finish(): number {
    if (this.leaf.count > 0 || this.leaves.length === 0) this.flushLeaf();
    return buildInterior(this.file, this.leaves, false);
  }
}

/** An index b-tree (or WITHOUT ROWID table) written from entries in ascending key order. */
export class IndexBuilder {
  private cur: PageBuilder;
  /** The last full leaf, not yet written, and the entry after it (it goes up as their divider). */
  private full: PageBuilder | null = null;
  private divider: Uint8Array | null = null;
  private spare: PageBuilder;
  private readonly children: Child[] = [];
  private readonly maxLocal: number;

  constructor(private readonly file: PageFile) {
    this.cur = new PageBuilder(file.pageSize, LEAF_INDEX);
    this.spare = new PageBuilder(file.pageSize, LEAF_INDEX);
    this.maxLocal = indexMaxLocal(file.pageSize);
  }

  /** Adds an entry: the first `size` bytes of `payload` (all of it by default). */
  add(payload: Uint8Array, size = payload.length): void {
    if (size <= this.maxLocal) {
      const cell = varintLength(size) + size;
      if (this.cur.count === 0 || this.cur.fits(cell)) {
        const b = this.cur.bytes;
        const at = putVarint(b, this.cur.add(cell), size);
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
    this.cur.bytes.set(body, this.cur.add(body.length));
  }

  private writeFull(): void {
    if (!this.full || !this.divider) return;
    const no = this.file.alloc();
    this.full.flush(this.file.page(no));
    this.children.push({ page: no, key: this.divider });
    this.spare = this.full;
    this.full = null;
  }

  finish(): number {
    if (this.full && this.divider && this.cur.count === 0) {
      // The last entry became a divider with nothing after it: it moves into the last leaf, and the
      // last entry of the full leaf becomes the divider instead (its cell moves unchanged).
      this.cur.bytes.set(this.divider, this.cur.add(this.divider.length));
      this.divider = this.full.popLast();
    }
    this.writeFull();
    const no = this.file.alloc();
    this.cur.flush(this.file.page(no));
    this.children.push({ page: no, key: new Uint8Array(0) });
    return buildInterior(this.file, this.children, true);
  }
}

/** Page size's largest local payload of an index cell (exported for the tests' edge cases). */
export const maxLocalIndexPayload = indexMaxLocal;

/** Writes page 1: the file header's 100 bytes are left to the caller, then one table leaf. */
export function writeFirstPage(file: PageFile, rows: readonly { readonly rowid: number; readonly payload: Uint8Array }[]): void {
  const page = new PageBuilder(file.pageSize, LEAF_TABLE, 100);
  for (const r of rows) {
    const size = r.payload.length;
    const cell = varintLength(size) + varintLength(r.rowid) + size;
    if (size > file.pageSize - 35 || !page.fits(cell)) throw new Error('the schema does not fit on the first page');
    const at = putVarint(page.bytes, putVarint(page.bytes, page.add(cell), size), r.rowid);
    page.bytes.set(r.payload, at);
  }
  page.flush(file.page(1));
}
