import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { random } from '../../helpers/random';
import { BlockTexts, REF_WIDTH, compareJob, readEnds } from '../../../electron/engine/store/copies';
import type { RawBlock } from '../../../electron/engine/store/rawBlocks';

/** Texts of random bytes and their blocks: deflated at levels 1 and 9, one stored as it is, as an import keeps them. */
function blocks(seed: number): { texts: Buffer[]; blocks: Map<number, RawBlock> } {
  const r = random(seed);
  const texts: Buffer[] = [];
  const out = new Map<number, RawBlock>();
  for (let id = 0; id < 8; id++) {
    const text = Buffer.from(Array.from({ length: 1000 + r(200_000) }, () => 32 + r(20)));
    texts.push(text);
    const data = id === 3 ? new Uint8Array(text) : new Uint8Array(zlib.deflateSync(text, { level: id % 2 ? 1 : 9 }));
    out.set(id, { usize: text.length, data });
  }
  return { texts, blocks: out };
}

describe('reading the records of dropped copies back from their blocks', () => {
  it('gives the bytes of any record of any block, in any order, nothing past a block or of a block it does not have, and fails on a damaged block', () => {
    const { texts, blocks: b } = blocks(3);
    const reader = new BlockTexts(b);
    const r = random(4);
    for (let k = 0; k < 3000; k++) {
      // Mostly further into the same block (as the records of one file come), sometimes another block.
      const blk = r(4) === 0 ? r(8) : k % 8;
      const text = texts[blk] as Buffer;
      const off = r(text.length);
      const len = r(Math.min(3000, text.length - off + 1));
      expect(Buffer.from(reader.bytes(blk, off, len) ?? []).equals(text.subarray(off, off + len)), `block ${blk} at ${off}+${len}`).toBe(true);
    }
    expect(reader.bytes(0, (texts[0] as Buffer).length - 10, 11)).toBeUndefined();
    expect(reader.bytes(42, 0, 1)).toBeUndefined();
    expect(reader.bytes(1, -1, 5)).toBeUndefined();
    const data = Uint8Array.from((b.get(1) as RawBlock).data);
    data[data.length - 1] = (data[data.length - 1] as number) ^ 1; // its Adler-32
    const damaged = new BlockTexts(new Map([[1, { usize: (texts[1] as Buffer).length, data }]]));
    expect(() => damaged.bytes(1, 0, 1)).toThrow(/incorrect data check/);
  });

  it('finds each copy identical or not to the record kept, as comparing their bytes does', () => {
    const { texts, blocks: b } = blocks(5);
    const r = random(6);
    const n = 500;
    const refs = new Float64Array(n * REF_WIDTH);
    const want: number[] = [];
    for (let i = 0; i < n; i++) {
      const [ca, ka] = [r(8), r(8)];
      const len = 1 + r(500);
      const co = r((texts[ca] as Buffer).length - len);
      const ko = r((texts[ka] as Buffer).length - len);
      const same = r(2) === 0;
      // An identical copy: the kept record's bytes are where the copy's are.
      const [kb, kOff] = same ? [ca, co] : [ka, ko];
      refs.set([ca, co, len, kb, kOff, len], i * REF_WIDTH);
      want.push((texts[ca] as Buffer).subarray(co, co + len).equals((texts[kb] as Buffer).subarray(kOff, kOff + len)) ? 1 : 0);
    }
    refs.set([0, 0, 10, 99, 0, 10], 0); // a kept record in a block the job was not given
    want[0] = -1;
    expect([...compareJob({ refs, blocks: b })]).toEqual(want);
  });

  it('inflates a block only as far as the last record read from it: the same bytes, and a stream damaged before that end still fails', () => {
    const { texts, blocks: b } = blocks(7);
    const r = random(8);
    const refs = new Float64Array(200 * REF_WIDTH);
    for (let i = 0; i < 200; i++) {
      const [ca, ka] = [r(8), r(8)];
      const len = 1 + r(300);
      // Records in the first half of each block, so that every block is cut short.
      refs.set([ca, r((texts[ca] as Buffer).length / 2 - len), len, ka, r((texts[ka] as Buffer).length / 2 - len), len], i * REF_WIDTH);
    }
    const ends = readEnds(refs);
    for (const [blk, end] of ends) {
      expect(end).toBeLessThanOrEqual((texts[blk] as Buffer).length / 2);
      let last = 0;
      for (let i = 0; i < refs.length; i += REF_WIDTH) {
        if (refs[i] === blk) last = Math.max(last, (refs[i + 1] as number) + (refs[i + 2] as number));
        if (refs[i + 3] === blk) last = Math.max(last, (refs[i + 4] as number) + (refs[i + 5] as number));
      }
      expect(end).toBe(last);
    }
    const cut = new BlockTexts(b, ends);
    const whole = new BlockTexts(b);
    for (let i = 0; i < refs.length; i += REF_WIDTH) {
      for (const k of [0, 3]) {
        const [blk, off, len] = [refs[i + k], refs[i + k + 1], refs[i + k + 2]] as [number, number, number];
        expect(Buffer.from(cut.bytes(blk, off, len) ?? []).equals((texts[blk] as Buffer).subarray(off, off + len))).toBe(true);
        expect(Buffer.from(whole.bytes(blk, off, len) ?? [1]).equals((texts[blk] as Buffer).subarray(off, off + len))).toBe(true);
      }
    }
    // Past the end given, nothing is read: a record there is not given, whatever the block holds.
    const blk = [...ends.keys()].find((k) => k !== 3) as number;
    expect(cut.bytes(blk, ends.get(blk) as number, 1)).toBeUndefined();
    // Garbage in the deflate stream before the records' end (not only in its Adler-32) still fails.
    const data = Uint8Array.from((b.get(blk) as RawBlock).data);
    for (let p = 2; p < 40; p++) data[p] = 0xff;
    const damaged = new BlockTexts(new Map([[blk, { usize: (texts[blk] as Buffer).length, data }]]), ends);
    expect(() => damaged.bytes(blk, 0, 1)).toThrow();
  });
});
