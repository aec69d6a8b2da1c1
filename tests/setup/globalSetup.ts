import { spawnSync } from 'node:child_process';
import path from 'node:path';

/** The import workers and the CLI run compiled JavaScript: build it once before the suite. */
export default function setup(): void {
  const root = path.resolve(__dirname, '..', '..');
  const r = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs'), 'node'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('build failed before tests');
}
