import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { expect, it } from 'vitest';

const root = path.resolve(__dirname, '..', '..');

it('the engine host loads none of the engine into the thread that starts it (Electron main, web server)', () => {
  const probe = `const before = new Set(Object.keys(require.cache));
require(${JSON.stringify(path.join(root, 'dist', 'electron', 'engine', 'host', 'host.js'))});
console.log(JSON.stringify(Object.keys(require.cache).filter((k) => !before.has(k))));`;
  const r = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  const loaded = (JSON.parse(r.stdout) as string[]).map((f) => path.relative(root, f).split(path.sep).join('/'));
  // errors.js (the error type), compiled.js (where a worker's script is: fs and path only) and
  // store/memory.js (the heap the engine's thread starts with: v8 and vm only) are not the engine.
  const allowed = new Set(['dist/electron/engine/errors.js', 'dist/electron/engine/compiled.js', 'dist/electron/engine/store/memory.js']);
  expect(loaded.filter((f) => f.startsWith('dist/electron/engine/') && !f.startsWith('dist/electron/engine/host/') && !allowed.has(f))).toEqual([]);
  expect(loaded.some((f) => f.includes('sql.js') || f.includes('sql-wasm'))).toBe(false);
});
