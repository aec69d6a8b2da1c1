// Builds everything `npx cairn`, web mode and the app need. Run by `npm install` (prepare) and `npm run build`.
// Steps that need an optional part (the Electron package, the renderer sources) are skipped with a note.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
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

/**
 * A sandboxed preload can require only `electron` and a few built-ins, not our other modules: bundle it
 * (with Vite, already a dev dependency) into one CommonJS file over tsc's output.
 */
async function bundlePreload() {
  const t0 = Date.now();
  const { build } = await import('vite');
  await build({
    configFile: false,
    root,
    logLevel: 'warn',
    build: {
      outDir: path.join(root, 'dist', 'electron', 'preload'),
      emptyOutDir: false,
      minify: false,
      sourcemap: false,
      copyPublicDir: false,
      lib: { entry: path.join(root, 'electron', 'preload', 'preload.ts'), formats: ['cjs'], fileName: () => 'preload.js' },
      rolldownOptions: { external: ['electron'] },
    },
  });
  // tsc's map describes the file the bundle replaced
  rmSync(path.join(root, 'dist', 'electron', 'preload', 'preload.js.map'), { force: true });
  console.error(`build: preload bundle (${Date.now() - t0} ms)`);
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
    await bundlePreload();
  } else {
    console.error('build: the electron package is not installed; skipping the desktop shell (the CLI and web mode still work).');
  }
}

// The tests of the preload bundle it alone (without the rest of the Electron build, which rewrites dist/).
if (only === 'preload') await bundlePreload();

if (!only || only === 'renderer') {
  if (existsSync(path.join(root, 'vite.config.ts')) && existsSync(path.join(root, 'renderer', 'index.html'))) {
    const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
    run('renderer', process.execPath, [vite, 'build', '--logLevel', 'warn']);
  }
}
