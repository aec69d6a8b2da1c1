/**
 * The project folder, found from wherever this module runs: its TypeScript source under vitest, or
 * dist/electron/web/ once compiled. Web mode needs it for the renderer's files and the version.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface PackageInfo {
  readonly root: string;
  readonly version: string;
}

export function findPackage(from: string = __dirname): PackageInfo {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const pkg: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
      if (isCairnPackage(pkg)) return { root: dir, version: pkg.version };
    }
    if (path.dirname(dir) === dir) throw new Error(`no package.json of cairn above ${from}`);
  }
}

function isCairnPackage(pkg: unknown): pkg is { name: 'cairn'; version: string } {
  if (typeof pkg !== 'object' || pkg === null) return false;
  const p = pkg as { name?: unknown; version?: unknown };
  return p.name === 'cairn' && typeof p.version === 'string';
}
