/** Tells a Cairn case from evidence by content (SQLite's header), never by its extension. */
import fs from 'node:fs';

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

/** True for a regular file that starts with SQLite's header; false for folders and anything else. */
export function isCaseFile(p: string): boolean {
  if (!fs.statSync(p).isFile()) return false;
  const fd = fs.openSync(p, 'r');
  try {
    const head = Buffer.alloc(SQLITE_MAGIC.length);
    const n = fs.readSync(fd, head, 0, head.length, 0);
    return n === head.length && head.equals(SQLITE_MAGIC);
  } finally {
    fs.closeSync(fd);
  }
}
