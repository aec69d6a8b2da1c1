/**
 * Fields that an object reassigns later, as a table it holds grows, are stored a second time as it
 * is made, so that V8 knows them as reassigned before any code that reads them is optimised. V8's
 * optimised code embeds as a constant a field never stored twice, and throws that code away the
 * first time the field changes: on the import's thread, each table growing for the first time cost
 * the row loop a recompile (15–60 ms of the compiler each, the row loop recompiled 16–17 times per
 * million events; --trace-opt, --trace-deopt).
 */

/** A typed array or an array: what these fields hold (the second store is an empty one of the same kind). */
interface Sliceable {
  slice(start: number, end: number): unknown;
}

/** Stores each named field of `o` again, after a store of an empty value of the same kind. */
export function reassigned(o: object, fields: readonly string[]): void {
  const r = o as Record<string, Sliceable>;
  for (const f of fields) {
    const v = r[f];
    if (v === undefined) throw new Error(`reassigned: no field ${f}`);
    r[f] = v.slice(0, 0) as Sliceable;
    r[f] = v;
  }
}
