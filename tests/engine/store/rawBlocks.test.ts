import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { type RawBlock, RawBlockReader } from '../../../electron/engine/store/rawBlocks';

describe('raw blocks', () => {
  it('read back whatever size a block claims, through a cache smaller than the blocks read', () => {
    const text = Buffer.from(Array.from({ length: 5000 }, (_, i) => `{"eventID":"e${i}"}`).join(''));
    const data = zlib.deflateSync(text);
    // A case file is evidence of its own: its usize may be wrong either way, or absurd.
    const blocks = new Map<number, RawBlock>([
      [1, { usize: text.length, data }],
      [2, { usize: 10, data }],
      [3, { usize: 2 ** 31, data }],
      [4, { usize: text.length, data: new Uint8Array(text) }], // stored, not deflated
    ]);
    const reader = new RawBlockReader(null, blocks, 2);
    for (const id of [1, 2, 3, 4, 1]) {
      expect(reader.block(id)?.equals(text)).toBe(true);
      expect(reader.text(id, 16, 14)).toBe('{"eventID":"e1');
    }
    expect(reader.block(5)).toBeUndefined();
  });
});
