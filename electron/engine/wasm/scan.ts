/**
 * A byte scan that JavaScript does one byte at a time and WebAssembly SIMD does sixteen at a time
 * (scan.wat): where the elements of a JSON array start and end (timing script on the bench's
 * inflated files: 3.7× faster than the JavaScript it replaces, the copy into the module's memory
 * included). The Adler-32 of a gzip file's text, once here too, is taken by the record reader, in
 * whose memory the text is inflated (wasm/fields.ts).
 *
 * One instance per thread, made on first use. Where WebAssembly SIMD is missing, `textScanner()`
 * returns null and callers take their general path.
 */
import { SCAN_WASM } from './scanWasm';

/** Zero bytes after the text: the element scan reads whole 64-byte blocks. */
const PAD = 64;
/** Most elements one scan reports (their offsets take 8 bytes each); more and it declines. */
export const MAX_ELEMENTS = 1 << 16;
const PAGE = 65536;

interface Exports {
  readonly memory: WebAssembly.Memory;
  elements(p: number, n: number, out: number, max: number): number;
}

export interface Elements {
  /** Offset of the array's closing byte. */
  readonly end: number;
  /** Start and end offset (exclusive) of each element that is an object or an array, in pairs. */
  readonly ranges: Int32Array;
}

export class TextScanner {
  /** The text last copied into the module's memory, at offset 0. */
  private loaded: Uint8Array | null = null;

  constructor(private readonly x: Exports) {}

  /**
   * The bytes last copied may have changed where they were (a buffer that is reused): the next call
   * copies its text again.
   */
  forget(): void {
    this.loaded = null;
  }

  /** Where `text` lies in the module's memory: copied there unless it is within the text last copied. */
  private place(text: Uint8Array): number {
    const l = this.loaded;
    if (l && text.buffer === l.buffer && text.byteOffset >= l.byteOffset && text.byteOffset + text.length <= l.byteOffset + l.length) {
      return text.byteOffset - l.byteOffset;
    }
    const need = text.length + PAD + 8 + MAX_ELEMENTS * 8 + 4;
    const mem = this.x.memory;
    if (mem.buffer.byteLength < need) mem.grow(Math.ceil((need - mem.buffer.byteLength) / PAGE));
    const bytes = new Uint8Array(mem.buffer);
    bytes.set(text, 0);
    bytes.fill(0, text.length, text.length + PAD);
    this.loaded = text;
    return 0;
  }

  /**
   * The elements of the JSON array whose `[` is at `open` in `text`, or null when the array does not
   * close or has more than MAX_ELEMENTS elements. Brackets are counted, not matched, and scalars are
   * not reported: callers confirm the result with JSON.parse.
   */
  elements(text: Uint8Array, open: number): Elements | null {
    const base = this.place(text);
    const out = ((this.loaded as Uint8Array).length + PAD + 7) & ~7;
    const count = this.x.elements(base + open + 1, text.length - open - 1, out, MAX_ELEMENTS);
    if (count < 0) return null;
    const found = new Int32Array(this.x.memory.buffer, out, 1 + 2 * count);
    const ranges = found.slice(1);
    for (let i = 0; i < ranges.length; i++) ranges[i] = (ranges[i] as number) - base;
    return { end: (found[0] as number) - base, ranges };
  }
}

let scanner: TextScanner | null | undefined;

export function textScanner(): TextScanner | null {
  if (scanner === undefined) {
    try {
      const module = new WebAssembly.Module(Buffer.from(SCAN_WASM, 'base64'));
      scanner = new TextScanner(new WebAssembly.Instance(module, {}).exports as unknown as Exports);
    } catch {
      scanner = null; // no WebAssembly SIMD here: callers take their JavaScript path
    }
  }
  return scanner;
}
