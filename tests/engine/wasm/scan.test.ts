import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { random } from '../../helpers/random';
import { envelopeRecords } from '../../../electron/engine/import/envelope';
import { Splitter } from '../../../electron/engine/import/splitter';
import { MAX_ELEMENTS } from '../../../electron/engine/wasm/scan';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const CORPUS = path.resolve(ROOT, '..', 'shared', 'corpus');
const hasCorpus = fs.existsSync(CORPUS);
if (!hasCorpus) console.warn(`shared corpus not found at ${CORPUS}: skipping the scan's agreement with the Splitter on real files`);

/** The Splitter's items of a text, as [start, end, ctx]. */
function splitterItems(text: Buffer): [number, number, string][] {
  const items: [number, number, string][] = [];
  const s = new Splitter({ item: (b, ctx) => void items.push([b.byteOffset - text.byteOffset, b.byteOffset - text.byteOffset + b.length, ctx]), bad: () => void items.push([-1, -1, 'bad']) });
  s.push(text);
  s.end();
  return items;
}

function scanned(text: Buffer): [number, number, string][] | null {
  return envelopeRecords(text)?.map((b) => [b.byteOffset - text.byteOffset, b.byteOffset - text.byteOffset + b.length, 'Records']) ?? null;
}

/** Strings made of what trips a scanner: escapes, runs of backslashes, quotes and brackets. */
function hostileString(r: (n: number) => number): string {
  const parts = ['a', '"', '\\', '\\\\', '\\"', '{', '}', '[', ']', ',', ':', 'é', '\u2028', '\n', '\\u0041'];
  let s = '';
  for (let i = r(40); i > 0; i--) s += parts[r(parts.length)];
  return s;
}

function value(r: (n: number) => number, depth: number): unknown {
  switch (r(depth > 3 ? 3 : 6)) {
    case 0:
      return r(1000);
    case 1:
      return hostileString(r);
    case 2:
      return null;
    case 3:
      return Array.from({ length: r(4) }, () => value(r, depth + 1));
    default:
      return Object.fromEntries(Array.from({ length: r(5) }, () => [hostileString(r), value(r, depth + 1)]));
  }
}

function envelope(r: (n: number) => number): Buffer {
  const ws = (): string => [' ', '', '\n', '  \t', ''][r(5)] as string;
  const records = Array.from({ length: 1 + r(8) }, () => {
    const rec = Object.fromEntries(Array.from({ length: 1 + r(6) }, (_, k) => [`k${k}${hostileString(r)}`, value(r, 0)]));
    return r(10) === 0 ? [rec] : rec;
  });
  return Buffer.from(`${ws()}{${ws()}"Records"${ws()}:${ws()}[${records.map((x) => ws() + JSON.stringify(x, null, r(2) ? 0 : 2) + ws()).join(',')}]${ws()}}${ws()}`);
}

describe('the WebAssembly scans', () => {
  it('are what their sources compile to (scan.wat, and the record reader in assembly/fields.ts)', () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'wasm.mjs'), '--check'], { encoding: 'utf8' });
    expect(r.stderr).not.toMatch(/is not what/);
    expect(r.status).toBe(0);
  });

  it('find the records of an envelope exactly where the Splitter does', () => {
    const r = random(20261124);
    for (let i = 0; i < 2000; i++) {
      const text = envelope(r);
      const fast = scanned(text);
      const reference = splitterItems(text);
      // Scalars in the array are not reported: the caller then falls back, as JSON.parse counts them.
      if (fast === null || fast.length !== reference.length) throw new Error(`case ${i}: ${text.toString().slice(0, 200)}`);
      expect(fast).toEqual(reference);
    }
  });

  it('carry a run of backslashes and an open string across 64-byte blocks', () => {
    for (let pad = 0; pad < 140; pad++) {
      for (const tail of ['\\', '\\\\', '\\"', '"\\\\"', '{"']) {
        const text = Buffer.from(JSON.stringify({ Records: [{ a: 'x'.repeat(pad) + tail, b: ['}'] }, { c: tail.repeat(pad % 7) }] }));
        expect(scanned(text)).toEqual(splitterItems(text));
      }
    }
  });

  it('decline what is not exactly one Records envelope', () => {
    const rec = '{"eventName":"A"}';
    for (const text of [
      `[${rec},${rec}]`,
      `{"Events":[${rec},${rec}]}`,
      `{"Records":[${rec},${rec}],"more":1}`,
      `{"Records":[${rec},${rec}]}{"Records":[]}`,
      `{"Records":[${rec},${rec}`, // cut off
      `{"Records":[${rec},"${'\\"]}'.repeat(3)}`, // the end is inside a string
    ]) {
      expect(envelopeRecords(Buffer.from(text))).toBeNull();
    }
    expect(envelopeRecords(Buffer.from(`{"Records":[${Array(MAX_ELEMENTS + 1).fill('{}').join(',')}]}`))).toBeNull();
    expect(envelopeRecords(Buffer.from(`{"Records":[${Array(MAX_ELEMENTS).fill('{}').join(',')}]}`))).toHaveLength(MAX_ELEMENTS);
  });

  it.skipIf(!hasCorpus)('agree with the Splitter on every envelope of the public corpus', () => {
    const files: string[] = [];
    const walk = (dir: string): void => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else files.push(p);
      }
    };
    walk(CORPUS);
    let envelopes = 0;
    for (const file of files) {
      let text = fs.readFileSync(file);
      if (text[0] === 0x1f && text[1] === 0x8b) text = zlib.gunzipSync(text);
      const fast = scanned(text);
      if (fast === null) continue;
      envelopes++;
      expect(fast).toEqual(splitterItems(text));
    }
    expect(envelopes).toBeGreaterThan(0);
  });
});
