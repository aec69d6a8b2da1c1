/**
 * A full garbage collection on demand. Used once per bulk import, just before sql.js copies the
 * finished store (up to 4 GiB): the sort columns and event ids released a moment earlier would
 * otherwise still be held when the copy doubles the store's memory, and that moment is the peak.
 */
import v8 from 'node:v8';
import vm from 'node:vm';

function findGc(): () => void {
  v8.setFlagsFromString('--expose-gc');
  const gc: unknown = vm.runInNewContext('gc');
  return typeof gc === 'function' ? () => (gc as () => void)() : () => undefined;
}

let gc: (() => void) | undefined;

export function collectGarbage(): void {
  gc ??= findGc();
  gc();
}
