import { describe, expect, it } from 'vitest';
import { TextPacker, packedText } from '../../../electron/engine/store/packedTexts';

describe('packed texts', () => {
  it('takes texts one by one and packed elsewhere, also after it was cleared (no room left at all)', () => {
    const p = new TextPacker(1, 1);
    p.push('a');
    p.clear();
    // Texts packed elsewhere: "ab", NULL, "" and "cde", from one buffer.
    const bytes = new TextEncoder().encode('abcde');
    p.pushPacked(bytes, Uint32Array.from([0, 2, 2, 2]), Int32Array.from([2, -1, 0, 3]));
    p.push('ü');
    p.pushPacked(bytes.subarray(0, 1), Uint32Array.from([0]), Int32Array.from([1]));
    const all = p.all();
    expect(Array.from({ length: all.count }, (_, r) => packedText(all, r))).toEqual(['ab', null, '', 'cde', 'ü', 'a']);
  });
});
