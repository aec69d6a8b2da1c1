/**
 * A CloudTrail log file is one `{"Records": [...]}` object. For such a file, the records' bytes are
 * found by the WebAssembly element scan instead of the Splitter's byte-by-byte state machine. Only
 * that exact shape is taken (nothing before or after the array, no other key), and the caller keeps
 * the result only when JSON.parse of the whole text agrees on the number of records; anything else
 * goes to the Splitter, which handles every shape.
 */
import { textScanner } from '../wasm/scan';

const HEAD = /^[ \t\r\n]*\{[ \t\r\n]*"Records"[ \t\r\n]*:[ \t\r\n]*\[/;
const TAIL = /^\][ \t\r\n]*\}[ \t\r\n]*$/;

/** The bytes of each element of a `{"Records": [...]}` text, or null when the text is not exactly that. */
export function envelopeRecords(text: Buffer): Buffer[] | null {
  const head = HEAD.exec(text.subarray(0, 64).toString('latin1'));
  const scanner = head ? textScanner() : null;
  if (!head || !scanner) return null;
  const found = scanner.elements(text, head[0].length - 1);
  if (!found || text.length - found.end > 64 || !TAIL.test(text.subarray(found.end).toString('latin1'))) return null;
  const { ranges } = found;
  const records: Buffer[] = [];
  for (let i = 0; i < ranges.length; i += 2) records.push(text.subarray(ranges[i], ranges[i + 1]));
  return records;
}
