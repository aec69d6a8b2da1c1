/** Seeded random numbers for tests that generate their cases. */

/** A small deterministic generator (mulberry32), so that a failing case can be replayed. */
export function random(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

/** `n` seeded random bytes (they do not compress). */
export function randomBytes(seed: number, n: number): Buffer {
  const rnd = random(seed);
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = rnd(256);
  return b;
}
