// Builds everything `npx cairn`, web mode and the app need. Run by `npm install` (prepare) and `npm run build`.
// Steps that need an optional part (the Electron package, the renderer sources) are skipped with a note.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const require = createRequire(import.meta.url);
const only = process.argv[2];

function run(label, cmd, args) {
  const t0 = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', shell: false });
  if (r.status !== 0) {
    console.error(`build: ${label} failed`);
    process.exit(r.status ?? 1);
  }
  console.error(`build: ${label} (${Date.now() - t0} ms)`);
}

const tsc = require.resolve('typescript/bin/tsc');
if (!only || only === 'node') run('engine, CLI, web server, bench', process.execPath, [tsc, '-p', 'tsconfig.node.json']);

if (!only || only === 'electron') {
  let hasElectron = false;
  try { require.resolve('electron/electron.d.ts', { paths: [root] }); hasElectron = true; } catch { hasElectron = false; }
  if (!existsSync(path.join(root, 'tsconfig.electron.json'))) {
    // nothing to build yet
  } else if (hasElectron) {
    run('Electron main and preload', process.execPath, [tsc, '-p', 'tsconfig.electron.json']);
  } else {
    console.error('build: the electron package is not installed; skipping the desktop shell (the CLI and web mode still work).');
  }
}

if (!only || only === 'renderer') {
  if (existsSync(path.join(root, 'vite.config.ts')) && existsSync(path.join(root, 'renderer', 'index.html'))) {
    const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
    run('renderer', process.execPath, [vite, 'build', '--logLevel', 'warn']);
  }
}
