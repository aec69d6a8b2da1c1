/**
 * Text indexes of event ids written from the ids' bits (uuidTexts.ts) must be the very bytes the
 * general path writes from the texts (orderPacked + packedEntries): the same order, ties by row,
 * the same entries, the same statistics. Canonical UUIDs are mixed here with texts that sort
 * before, between and after them, that are prefixes or extensions of them, that are almost UUIDs,
 * with duplicates and NULLs.
 */
import { describe, expect, it } from 'vitest';
import { IndexBuilder, PageFile } from '../../../electron/engine/store/image/pages';
import { indexStat } from '../../../electron/engine/store/image/image';
import { builtTree } from '../../../electron/engine/store/image/movedIndex';
import { TextPacker } from '../../../electron/engine/store/packedTexts';
import { type PackedTexts, buildTextIndex, orderPacked, packedEntries } from '../../../electron/engine/store/textIndexes';
import { orderUuids, putUuid, readUuid, uuidRows } from '../../../electron/engine/store/uuidTexts';
import { random } from '../../helpers/random';

const PAGE = 4096;

/** The index as the general path builds it, from the texts' bytes. */
function generalIndex(p: PackedTexts): { pages: Uint8Array; root: number; stat: string | null } {
  const file = new PageFile(PAGE);
  const b = new IndexBuilder(file);
  const order = orderPacked(p);
  const distinct = packedEntries(b, p, order);
  return { stat: indexStat(order.length, [distinct]), ...builtTree(file, b.finish()) };
}

function packed(texts: readonly (string | null)[]): PackedTexts {
  const p = new TextPacker();
  for (const t of texts) p.push(t);
  return p.all();
}

/** Seeded numbers in [0, 1). */
function unit(seed: number): () => number {
  const r = random(seed);
  return () => r(2 ** 30) / 2 ** 30;
}

function uuid(rnd: () => number): string {
  const hex = (n: number): string => Array.from({ length: n }, () => '0123456789abcdef'[Math.floor(rnd() * 16)]).join('');
  return `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`;
}

function expectSameIndex(texts: readonly (string | null)[]): void {
  const p = packed(texts);
  const got = buildTextIndex(p, PAGE);
  const want = generalIndex(p);
  expect(got.stat).toBe(want.stat);
  expect(got.root).toBe(want.root);
  expect(Buffer.compare(Buffer.from(got.pages), Buffer.from(want.pages))).toBe(0);
}

describe('UUID texts', () => {
  it('reads canonical UUIDs into words and writes them back, and declines anything else', () => {
    const rnd = unit(5);
    const words = new Uint32Array(4);
    const out = new Uint8Array(36);
    for (let i = 0; i < 200; i++) {
      const u = uuid(rnd);
      expect(readUuid(Buffer.from(u), 0, words, 0)).toBe(true);
      putUuid(out, 0, words, 0);
      expect(Buffer.from(out).toString()).toBe(u);
    }
    const good = '0123abcd-4567-89ef-0123-456789abcdef';
    expect(readUuid(Buffer.from(good), 0, words, 0)).toBe(true);
    expect(Array.from(words)).toEqual([0x0123abcd, 0x456789ef, 0x01234567, 0x89abcdef]);
    for (const bad of ['0123ABCD-4567-89ef-0123-456789abcdef', '0123abcd-4567-89ef-0123_456789abcdef', '0123abcg-4567-89ef-0123-456789abcdef', '0123abcd-4567-89ef-0123-456789abcde ', '0123abcd+4567-89ef-0123-456789abcdef']) {
      expect(readUuid(Buffer.from(bad), 0, words, 0)).toBe(false);
    }
  });

  it('orders UUIDs by their bits as the bytes order them, ties by row', () => {
    const rnd = unit(7);
    // Few distinct first words, so that many runs tie on them.
    const firsts = ['00000000', '7fffffff', '80000000', 'ffffffff', 'a0b1c2d3'];
    const texts = Array.from({ length: 5000 }, () => {
      const u = uuid(rnd);
      return rnd() < 0.5 ? (firsts[Math.floor(rnd() * firsts.length)] as string) + u.slice(8) : u;
    });
    for (let i = 0; i < 300; i++) texts.push(texts[Math.floor(rnd() * texts.length)] as string);
    const p = packed(texts);
    const u = uuidRows(p);
    expect(u.rows.length).toBe(texts.length);
    const got = Array.from(orderUuids(u), (k) => u.rows[k] as number);
    expect(got).toEqual(Array.from(orderPacked(p)));
  });

  it('builds the index of canonical event ids byte for byte as from their texts', () => {
    const rnd = unit(11);
    const ids = Array.from({ length: 20_000 }, () => uuid(rnd));
    // The same eventID in two accounts: equal texts in the index.
    for (let i = 0; i < 500; i++) ids.push(ids[Math.floor(rnd() * ids.length)] as string);
    expectSameIndex(ids);
  });

  it('merges texts that are not UUIDs with those that are, wherever they sort', () => {
    const rnd = unit(13);
    const ids = Array.from({ length: 4000 }, () => uuid(rnd));
    const u0 = ids[0] as string;
    const others = [
      '', '0', '00000000-0000-0000-0000-00000000000', '7', 'Z', 'zzzz', '~', 'é', '😀',
      u0.toUpperCase(), u0 + 'x', u0.slice(0, 35), u0.slice(0, 20), u0.replace(/-/g, ''), `${u0.slice(0, 8)}_${u0.slice(9)}`,
      'synthetic-3f9a2c', 'ffffffff-ffff-ffff-ffff-ffffffffffff0', 'g0000000-0000-0000-0000-000000000000',
    ];
    const texts: (string | null)[] = [...ids];
    for (let i = 0; i < 3000; i++) {
      const x = rnd();
      if (x < 0.1) texts.push(null);
      else if (x < 0.6) texts.push(others[Math.floor(rnd() * others.length)] as string);
      else texts.push(ids[Math.floor(rnd() * ids.length)] as string);
    }
    // Shuffled, so that rows of every kind sit everywhere.
    for (let i = texts.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [texts[i], texts[j]] = [texts[j] as string | null, texts[i] as string | null];
    }
    expectSameIndex(texts);
    // Only other texts, only one UUID among them, and nothing at all.
    expectSameIndex(others);
    expectSameIndex([...others, u0, null]);
    expectSameIndex([u0]);
    expectSameIndex([null, null]);
    expectSameIndex([]);
  });
});
