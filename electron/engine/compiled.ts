/**
 * Where a worker's compiled script is: beside the module asking, when the engine runs from dist/,
 * or in dist/ when it runs from the TypeScript sources (the tests).
 */
import fs from 'node:fs';
import path from 'node:path';

/** `file` of the engine folder `area` (e.g. 'import', 'worker.js'), asked from the directory `here`. */
export function compiledScript(here: string, area: string, file: string, what: string): string {
  const beside = path.join(here, file);
  if (fs.existsSync(beside)) return beside;
  const built = path.join(path.resolve(here, '..', '..', '..'), 'dist', 'electron', 'engine', area, file);
  if (fs.existsSync(built)) return built;
  throw new Error(`${what} not built (looked for ${beside} and ${built}); run npm run build`);
}
