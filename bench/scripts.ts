/**
 * Where the bench's worker-thread scripts are. The bench itself runs from dist/bench/; tests run the
 * TypeScript sources, whose workers must still be compiled JavaScript (tests/setup builds dist/ first).
 */
import fs from 'node:fs';
import path from 'node:path';

export function benchScript(rel: string): string {
  const here = path.join(__dirname, `${rel}.js`);
  if (fs.existsSync(here)) return here;
  const built = path.join(projectRoot(), 'dist', 'bench', `${rel}.js`);
  if (fs.existsSync(built)) return built;
  throw new Error(`bench worker ${rel}.js is not built (looked for ${here} and ${built}); run npm run build`);
}

/** The project root, whether running from bench/ (sources) or dist/bench/ (compiled). */
export function projectRoot(): string {
  let dir = __dirname;
  for (let i = 0; i < 5; i++) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    dir = path.dirname(dir);
  }
  return process.cwd();
}
