/**
 * An index b-tree built in another file (another thread's PageFile, so that indexes can be built
 * side by side) moved into this one: its pages are appended, and the page numbers inside them, the
 * children of interior pages, are rewritten. Only trees without overflow pages can move this way
 * (their page numbers are not rewritten): every entry of the indexes moved is far smaller than a page
 * holds (integer keys are at most ~30 bytes, moved texts at most MAX_PACKED_BYTES), and it is checked.
 */
import { INTERIOR_INDEX, LEAF_INDEX, type PageFile, put32 } from './pages';

/** The first page a b-tree can take in a PageFile (page 1 is the schema's). */
export const FIRST_TREE_PAGE = 2;

/** A b-tree built alone: its pages from FIRST_TREE_PAGE on, and its root's number there. */
export interface BuiltTree {
  readonly pages: Uint8Array;
  readonly root: number;
  /** Whether any of its pages is an overflow page (such a tree cannot move). */
  readonly overflow: boolean;
}

/** The pages of the only b-tree written into `file` (a view, not a copy), to be moved with appendTree. */
export function builtTree(file: PageFile, root: number): BuiltTree {
  return { pages: file.bytes().subarray((FIRST_TREE_PAGE - 1) * file.pageSize), root, overflow: file.overflowPages > 0 };
}

function get16(p: Uint8Array, at: number): number {
  return ((p[at] as number) << 8) | (p[at + 1] as number);
}

function get32(p: Uint8Array, at: number): number {
  return (((p[at] as number) << 24) | ((p[at + 1] as number) << 16) | ((p[at + 2] as number) << 8) | (p[at + 3] as number)) >>> 0;
}

/** Appends `tree` to `file`; returns its root's number in `file`. */
export function appendTree(file: PageFile, tree: BuiltTree): number {
  const size = file.pageSize;
  const count = tree.pages.length / size;
  if (!Number.isInteger(count)) throw new Error('moved index: not a whole number of pages');
  if (tree.overflow) throw new Error('moved index: an entry too large to move (it has overflow pages)');
  const placed = new Int32Array(count);
  for (let k = 0; k < count; k++) placed[k] = file.alloc();
  // Copied in runs of consecutive pages, one copy each (only SQLite's lock-byte page breaks a run):
  // a copy and two views per page cost about a fifth of moving a tree (timing script).
  const all = file.bytes();
  for (let k = 0; k < count; ) {
    let end = k + 1;
    while (end < count && placed[end] === (placed[end - 1] as number) + 1) end++;
    all.set(tree.pages.subarray(k * size, end * size), ((placed[k] as number) - 1) * size);
    k = end;
  }
  const moved = (no: number): number => {
    const k = no - FIRST_TREE_PAGE;
    if (k < 0 || k >= count) throw new Error(`moved index: page ${no} is outside the tree`);
    return placed[k] as number;
  };
  for (let k = 0; k < count; k++) {
    const at = ((placed[k] as number) - 1) * size;
    if (all[at] !== LEAF_INDEX) renumber(all.subarray(at, at + size), moved);
  }
  return moved(tree.root);
}

/** Rewrites the child page numbers of one index page (a leaf has none). */
function renumber(page: Uint8Array, moved: (no: number) => number): void {
  const type = page[0];
  if (type === LEAF_INDEX) return;
  if (type !== INTERIOR_INDEX) throw new Error(`moved index: page of type ${type}`);
  const cells = get16(page, 3);
  put32(page, 8, moved(get32(page, 8)));
  for (let c = 0; c < cells; c++) {
    const at = get16(page, 12 + 2 * c);
    put32(page, at, moved(get32(page, at)));
  }
}
