// `npm start`: launches the desktop app in Electron, after building it. Where the Electron binary is
// not installed it says so, and how to use web mode instead, before spending time on a build.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const require = createRequire(import.meta.url);
const webHint = 'Use web mode instead: `npm run web` (or `npx cairn serve [case-or-evidence]`) and open the printed URL in a browser.';

/** The path of the Electron binary, or why there is none. */
function electronBinary() {
  let binary;
  try {
    binary = require('electron'); // the package exports the path of its binary
  } catch (e) {
    // the package is absent (an optional dependency), or present without its downloaded binary
    const notInstalled = e instanceof Error && 'code' in e && e.code === 'MODULE_NOT_FOUND';
    return { missing: notInstalled ? 'the electron package is not installed' : 'the electron package has no binary' };
  }
  return typeof binary === 'string' && existsSync(binary) ? { binary } : { missing: `${String(binary)} does not exist` };
}

const found = electronBinary();
if (!found.binary) {
  console.error(
    'cairn: no Electron binary is installed, so the desktop app cannot start here ' +
      `(${found.missing}). It is downloaded by \`npm install\` where the network allows; ` +
      `ELECTRON_SKIP_BINARY_DOWNLOAD=1 and air-gapped hosts skip it. ${webHint}`,
  );
  process.exit(1);
}

const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const mainJs = path.join(root, 'dist', 'electron', 'main', 'main.js');
const indexHtml = path.join(root, 'dist-renderer', 'index.html');
for (const [file, what] of [[mainJs, 'the desktop shell'], [indexHtml, 'the user interface']]) {
  if (!existsSync(file)) {
    console.error(`cairn: ${what} is not part of this build (${path.relative(root, file)} is missing). ${webHint}`);
    process.exit(1);
  }
}
const child = spawn(found.binary, [mainJs, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
