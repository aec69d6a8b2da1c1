import { describe, expect, it } from 'vitest';
import { Splitter } from '../../../electron/engine/import/splitter';
import { parseTimeMs } from '../../../electron/engine/import/time';
import { random } from '../../helpers/random';

function split(text: string, chunkSizes: () => number): { items: [string, string][]; bad: [string, string][] } {
  const items: [string, string][] = [];
  const bad: [string, string][] = [];
  const s = new Splitter({ item: (b, ctx) => items.push([ctx, b.toString('utf8')]), bad: (b, reason) => bad.push([reason, b.toString('utf8')]) });
  const buf = Buffer.from(text, 'utf8');
  for (let i = 0; i < buf.length; ) {
    const n = Math.max(1, chunkSizes());
    s.push(Buffer.from(buf.subarray(i, i + n)));
    i += n;
  }
  s.end();
  return { items, bad };
}

const SAMPLES = [
  '{"Records":[{"a":"x\\\\"},{"b":"}\\"]{"},{"c":[1,{"d":null}]}]}',
  '[{"eventName":"A"}, {"eventName":"B \\u00e9 \\"q\\""}]\n',
  '{"eventName":"L1"}\n{"eventName":"L2"}\n\n{"eventName":"L3"}',
  '{"x":1}{"y":2}  {"Events":[{"CloudTrailEvent":"{\\"a\\":1}"}],"NextToken":"t"}',
  '{\n  "Records" : [\n    {"k": "v"} ,\n    {"k": "w"}\n  ]\n}\n',
];

describe('splitter', () => {
  it.each(SAMPLES)('gives the same items whatever the chunking: %s', (text) => {
    const whole = split(text, () => 1 << 30);
    for (let seed = 1; seed <= 30; seed++) {
      let x = seed;
      const sizes = (): number => {
        x = (x * 1103515245 + 12345) % 2147483648;
        return 1 + (x % 7);
      };
      expect(split(text, sizes)).toEqual(whole);
    }
    expect(split(text, () => 1)).toEqual(whole);
  });

  it('streams Records elements with their exact bytes', () => {
    expect(split(SAMPLES[0] as string, () => 3).items).toEqual([
      ['Records', '{"a":"x\\\\"}'],
      ['Records', '{"b":"}\\"]{"}'],
      ['Records', '{"c":[1,{"d":null}]}'],
    ]);
  });

  it('reports a value cut off at the end and keeps what came before', () => {
    const r = split('{"Records":[{"a":1},{"b":', () => 4);
    expect(r.items).toEqual([['Records', '{"a":1}']]);
    expect(r.bad.map((b) => b[0])).toEqual(['JSON value cut off (the input ends inside it)']);
  });

  it('reports garbage lines and reads on', () => {
    const r = split('hello world\n{"ok":1}\n', () => 5);
    expect(r.items).toEqual([['', '{"ok":1}']]);
    expect(r.bad).toEqual([['not a JSON object or array', 'hello world\n']]);
  });

  it("reports a '}' where a streamed array's next element or ']' should be, and reads on", () => {
    // A byte flipped in a trail file: the broken element takes the array's ']' in, and a '}' follows.
    // It was taken for an element of no bytes, emitted forever, until the worker ran out of memory.
    const reason = "malformed JSON: '}' where an element of the array or its ']' should be";
    expect(split('{"Records":[{"a":1},{"b":2|,{"c":3}]}', () => 1 << 30)).toEqual({ items: [['Records', '{"a":1}'], ['Records', '{"b":2|,{"c":3}]']], bad: [[reason, '}']] });
    expect(split('{"Records":[{"a":1}}', () => 3)).toEqual({ items: [['Records', '{"a":1}']], bad: [[reason, '}']] });
    expect(split('[{"a":1}}\n{"x":2}', () => 1 << 30)).toEqual({ items: [['[]', '{"a":1}'], ['', '{"x":2}']], bad: [[reason, '}']] });
  });

  it('ends on any damage to its input, whatever the chunking (seeded mutations)', () => {
    const docs = [...SAMPLES, '{"Records":[{"a":1},{"b":[2,{"c":"x\\"y"}]},{"d":null}]}', '{"logEvents":[{"message":"{}"}]} {"events":[1,2,{"a":3}]}', '[1, "two", {"three":3}, [4]]'];
    const alphabet = '{}[]",:\\ \n0a';
    const rnd = random(11);
    for (let iter = 0; iter < 20_000; iter++) {
      let text = docs[rnd(docs.length)] as string;
      for (let k = 1 + rnd(4); k > 0; k--) {
        const at = rnd(text.length + 1);
        const ch = alphabet[rnd(alphabet.length)] as string;
        const op = rnd(3);
        text = op === 0 ? text.slice(0, at) + ch + text.slice(at + 1) : op === 1 ? text.slice(0, at) + ch + text.slice(at) : text.slice(0, at) + text.slice(at + 1);
      }
      let out = 0;
      const count = (): void => {
        if (++out > 1000) throw new Error(`no end: ${JSON.stringify(text)}`);
      };
      const s = new Splitter({ item: count, bad: count });
      const cut = rnd(text.length + 1);
      s.push(Buffer.from(text.slice(0, cut)));
      s.push(Buffer.from(text.slice(cut)));
      s.end();
    }
  });
});

describe('event time parsing', () => {
  it.each([
    ['2024-03-01T12:00:00Z', Date.UTC(2024, 2, 1, 12)],
    ['2024-03-01T12:00:00', Date.UTC(2024, 2, 1, 12)],
    ['2024-03-01 12:00:00.250', Date.UTC(2024, 2, 1, 12, 0, 0, 250)],
    ['2024-03-01T12:00:00.123456789Z', Date.UTC(2024, 2, 1, 12, 0, 0, 123)],
    ['2024-03-01T04:00:00-08:00', Date.UTC(2024, 2, 1, 12)],
    ['20131102T010628Z', Date.UTC(2013, 10, 2, 1, 6, 28)],
    [1709294400, Date.UTC(2024, 2, 1, 12)],
    [1709294400000, Date.UTC(2024, 2, 1, 12)],
    ['1709294400.5', Date.UTC(2024, 2, 1, 12, 0, 0, 500)],
    // Years below 100 are those years, not 19xx (Date.UTC's reading).
    ['0099-03-01T12:00:00Z', Date.parse('0099-03-01T12:00:00Z')],
    ['0004-02-29 00:00:00', Date.parse('0004-02-29T00:00:00Z')],
    ['00010101T000000Z', Date.parse('0001-01-01T00:00:00Z')],
  ])('%s', (input, ms) => expect(parseTimeMs(input)).toBe(ms));

  it.each(['', 'yesterday', '2024-13-01T00:00:00Z', null, {}, -5, 1e300, 8.64e15 + 1, '9999999999999999'])('rejects %s', (input) => expect(parseTimeMs(input)).toBeNaN());

  it('takes the latest time a Date holds, and nothing past it', () => expect(parseTimeMs(8.64e15)).toBe(8.64e15));

  it('reads CloudTrail\'s own form as the general parser does, edge values included', () => {
    // A leading space takes the general (regular expression) path, which trims it.
    const fields = [['2024', '0099', '1970', '9999', '2O24'], ['00', '01', '02', '12', '13', '1a'], ['00', '01', '29', '31', '32'], ['00', '23', '24', '25'], ['00', '59', '60'], ['00', '59', '60', '61']];
    let checked = 0;
    const each = (at: number, parts: string[]): void => {
      if (at === fields.length) {
        const [y, mo, d, h, mi, s] = parts as [string, string, string, string, string, string];
        const text = `${y}-${mo}-${d}T${h}:${mi}:${s}Z`;
        expect(Object.is(parseTimeMs(text), parseTimeMs(` ${text}`)), text).toBe(true);
        checked++;
        return;
      }
      for (const v of fields[at] as string[]) each(at + 1, [...parts, v]);
    };
    each(0, []);
    expect(checked).toBe(5 * 6 * 5 * 4 * 3 * 4);
    for (const odd of ['2024-03-01 12:00:00Z', '2024-03-01T12:00:00z', '2024/03/01T12:00:00Z', '2024-03-01T12:00:00+', '2024-03-01T12-00:00Z']) {
      expect(Object.is(parseTimeMs(odd), parseTimeMs(` ${odd}`)), odd).toBe(true);
    }
  });
});
