// `npm start`: builds, then launches the desktop app in Electron. Where the Electron binary or the
// desktop shell is not available, it says so and how to use web mode instead.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const require = createRequire(import.meta.url);

const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const webHint = 'Use web mode instead: `npm run web` (or `npx cairn serve [case-or-evidence]`) and open the printed URL in a browser.';
const mainJs = path.join(root, 'dist', 'electron', 'main', 'main.js');
if (!existsSync(mainJs)) {
  console.error(`cairn: the desktop shell is not part of this build (${path.relative(root, mainJs)} is missing). ${webHint}`);
  process.exit(1);
}
let electronBinary;
try {
  electronBinary = require('electron'); // the package exports the path of its binary
} catch {
  electronBinary = undefined;
}
if (typeof electronBinary !== 'string' || !existsSync(electronBinary)) {
  console.error(
    'cairn: no Electron binary is installed (it is downloaded by `npm install` where the network allows; ' +
      `ELECTRON_SKIP_BINARY_DOWNLOAD=1 and air-gapped hosts skip it). ${webHint}`,
  );
  process.exit(1);
}
const child = spawn(electronBinary, [mainJs, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
child.on('exit', (code) => process.exit(code ?? 0));
