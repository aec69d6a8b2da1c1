/**
 * Deterministic randomness for the synthetic archive. Every record is rendered from its own generator,
 * seeded by (archive seed, stream, index), so a record is a pure function of its index: duplicate
 * deliveries render byte-identically and files can be rendered in any order, by any worker thread.
 */

/** murmur3's 32-bit finaliser: a bijection on uint32, so distinct inputs give distinct outputs. */
export function fmix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const HEX = '0123456789abcdef';
const UPPER_HEX = '0123456789ABCDEF';
const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** sfc32: small, fast, and good enough for synthetic data. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(a: number, b: number, c: number, d: number) {
    this.a = a >>> 0;
    this.b = b >>> 0;
    this.c = c >>> 0;
    this.d = d >>> 0;
    for (let i = 0; i < 12; i++) this.u32();
  }

  /** A generator for item `index` of `stream`; distinct (stream, index) give unrelated sequences. */
  static of(seed: number, stream: number, index: number): Rng {
    return new Rng(seed, stream, index, fmix32(index ^ Math.imul(stream, 0x9e3779b9)) | 1);
  }

  u32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  float(): number {
    return this.u32() / 4294967296;
  }

  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    const v = items[this.int(items.length)];
    if (v === undefined) throw new Error('pick from an empty list');
    return v;
  }

  /** Index into `weights` with probability proportional to each weight. */
  weighted(weights: readonly number[]): number {
    let total = 0;
    for (const w of weights) total += w;
    let x = this.float() * total;
    for (let i = 0; i < weights.length; i++) {
      x -= weights[i] ?? 0;
      if (x < 0) return i;
    }
    return weights.length - 1;
  }

  /** Exponentially distributed with the given mean. */
  exp(mean: number): number {
    return -Math.log(1 - this.float()) * mean;
  }

  chars(n: number, alphabet: string): string {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[this.int(alphabet.length)];
    return s;
  }

  hex(n: number): string {
    return this.chars(n, HEX);
  }

  upperHex(n: number): string {
    return this.chars(n, UPPER_HEX);
  }

  base32(n: number): string {
    return this.chars(n, B32);
  }

  alnum(n: number): string {
    return this.chars(n, ALNUM);
  }

  lowerAlnum(n: number): string {
    return this.chars(n, LOWER_ALNUM);
  }

  base64(n: number): string {
    return this.chars(n, B64);
  }

  /** A version-4 UUID; when `unique` is given its first 32 bits are a bijection of it (never collide). */
  uuid(unique?: number): string {
    const head = unique === undefined ? this.hex(8) : fmix32(unique).toString(16).padStart(8, '0');
    const variant = HEX[8 + this.int(4)] ?? '8';
    return `${head}-${this.hex(4)}-4${this.hex(3)}-${variant}${this.hex(3)}-${this.hex(12)}`;
  }
}

/** 16 base-32 characters that are a bijection of `n` (for access key IDs that must never collide). */
export function uniqueBase32(n: number, salt: number): string {
  let x = fmix32((n ^ salt) >>> 0);
  let y = fmix32((x + 0x6d2b79f5) >>> 0);
  let s = '';
  for (let i = 0; i < 8; i++) {
    s += B32[x & 31];
    x >>>= 4;
  }
  for (let i = 0; i < 8; i++) {
    s += B32[y & 31];
    y >>>= 4;
  }
  return s;
}
