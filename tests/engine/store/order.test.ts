/**
 * Index orders must be SQLite's: BINARY collation is UTF-8 byte order, which is not JavaScript's
 * UTF-16 order once characters above U+D7FF meet (an emoji's surrogates sort below U+E000..U+FFFF
 * in UTF-16, above them in UTF-8). orderByText takes shortcuts (a radix sort on prefixes, the
 * engine's own comparison for runs without such characters); the reference here takes none.
 */
import { describe, expect, it } from 'vitest';
import { orderByNumber, orderByText } from '../../../electron/engine/store/image/order';

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

function reference(texts: readonly (string | null)[]): number[] {
  const rows = texts.map((t, r) => [t, r] as const).filter((x): x is readonly [string, number] => x[0] !== null);
  return rows.sort((a, b) => Buffer.compare(Buffer.from(a[0]), Buffer.from(b[0])) || a[1] - b[1]).map((x) => x[1]);
}

describe('orderByText', () => {
  const pieces = ['arn:aws:iam::123456789012:role/', 'arn:aws:s3:::bucket/', '2024-03-01T', 'a', 'b', 'é', '\uffee', '\ue000', '😀', '中', ''];
  it.each([1, 2, 3, 4])('orders like UTF-8 bytes, ties by row (seed %i)', (seed) => {
    const rnd = prng(seed);
    const pick = (): string => pieces[Math.floor(rnd() * pieces.length)] as string;
    const texts: (string | null)[] = [];
    for (let r = 0; r < 5000; r++) {
      if (rnd() < 0.05) texts.push(null);
      else if (rnd() < 0.2 && r > 0) texts.push(texts[Math.floor(rnd() * r)] ?? 'x');
      else texts.push(pick() + pick() + String(Math.floor(rnd() * 50)) + (seed > 2 ? '' : pick()));
    }
    expect(Array.from(orderByText(0, texts.length, (r) => texts[r] ?? null))).toEqual(reference(texts));
  });

  it('a run that mixes an emoji with characters above U+E000 is ordered by bytes', () => {
    const texts = ['same-prefix-\uffee', 'same-prefix-😀', 'same-prefix-\ue000', 'same-prefix-z', 'same-prefix-😀'];
    expect(Array.from(orderByText(0, texts.length, (r) => texts[r] ?? null))).toEqual(reference(texts));
    expect(reference(texts)).toEqual([3, 2, 0, 1, 4]);
  });
});

/**
 * The time index and the text indexes' prefix sort rest on orderByNumber: ascending keys, ties in
 * row order, for times that span more than 2^32 ms (~50 days: a year of logs takes the third radix
 * pass), negative times (before 1970), and keys that are not integers (the comparison sort).
 */
describe('orderByNumber', () => {
  const byKey = (keys: Float64Array): number[] => Array.from(keys, (k, r) => [k, r] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]).map((x) => x[1]);
  const cases: [string, (rnd: () => number) => number][] = [
    ['times within a day', (rnd) => 1_709_251_200_000 + Math.floor(rnd() * 86_400_000)],
    ['times over three years', (rnd) => 1_640_995_200_000 + Math.floor(rnd() * 3 * 365 * 86_400_000)],
    ['times either side of 1970', (rnd) => Math.floor((rnd() - 0.5) * 2 * 365 * 86_400_000)],
    // A forged eventTime centuries away: the high word takes more than 8 of its 16 bits.
    ['times from 1900 to 2400', (rnd) => -2_208_988_800_000 + Math.floor(rnd() * 500 * 365 * 86_400_000)],
    ['few distinct keys (ties)', (rnd) => Math.floor(rnd() * 7) * 4_294_967_296],
    ['keys that are not integers', (rnd) => rnd() * 1000],
  ];
  it.each(cases)('orders %s ascending, ties by row', (_, key) => {
    const rnd = prng(7);
    const keys = Float64Array.from({ length: 20_000 }, () => key(rnd));
    expect(Array.from(orderByNumber(keys.length, keys))).toEqual(byKey(keys));
    // The keys in that order, when asked for, worked out from the sort's own words.
    const sorted = new Float64Array(keys.length);
    const order = orderByNumber(keys.length, keys, undefined, sorted);
    expect(Array.from(sorted)).toEqual(Array.from(order, (r) => keys[r]));
  });

  it('reads the first n keys, the last of them too, and no more; and orders none', () => {
    const keys = Float64Array.from([5, 9, 3, -1, 0]);
    expect(Array.from(orderByNumber(3, keys))).toEqual([2, 0, 1]);
    expect(Array.from(orderByNumber(0, keys))).toEqual([]);
    // Only the last key is more than 2^32 above the others: it alone calls for the high words' pass.
    expect(Array.from(orderByNumber(3, Float64Array.from([1, 0, 2 ** 34])))).toEqual([1, 0, 2]);
  });
});
