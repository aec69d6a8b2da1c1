/**
 * The packaging configuration cannot be run here (no Electron binary), so it is loaded the way
 * electron-builder loads it (package.json's "build" extends build/electron-builder.json), checked
 * against electron-builder's own schema, and its targets and files checked against what the app needs.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..', '..');
const require = createRequire(path.join(root, 'package.json'));

interface Loaded {
  appId?: string;
  productName?: string;
  files?: (string | { filter?: string[] })[];
  asarUnpack?: string[];
  publish?: unknown;
  extraMetadata?: { main?: string };
  linux?: { target?: string[] };
  win?: { target?: string[] };
  mac?: { target?: string[] };
  electronFuses?: Record<string, boolean>;
}
type ConfigModule = {
  getConfig(projectDir: string, configPath: string | null, fromOptions: null): Promise<Loaded>;
  validateConfiguration(config: Loaded, logger: unknown): Promise<void>;
};

let config: Loaded;
let lib: ConfigModule;
let logger: unknown;

beforeAll(async () => {
  lib = require('app-builder-lib/out/util/config/config') as ConfigModule;
  const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
  logger = new DebugLogger(false);
  config = await lib.getConfig(root, null, null);
});

describe('electron-builder configuration', () => {
  it('is found through package.json and passes electron-builder schema validation', async () => {
    await expect(lib.validateConfiguration(config, logger)).resolves.toBeUndefined();
    await expect(lib.validateConfiguration({ ...config, ...{ notAnOption: true } }, logger)).rejects.toThrow(/unknown property/);
  });

  it('names the app and builds AppImage + deb, nsis and dmg, with nothing published', () => {
    expect(config.appId).toMatch(/^[a-z]+(\.[a-z]+)+$/);
    expect(config.productName).toBe('Cairn');
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.win?.target).toEqual(['nsis']);
    expect(config.mac?.target).toEqual(['dmg']);
    expect(config.publish).toBeNull();
  });

  it('packs the main process, the bundled preload, the engine, the renderer and the runtime modules', () => {
    const files = filePatterns(config);
    for (const f of ['dist/electron/main/**/*.js', 'dist/electron/preload/preload.js', 'dist/electron/engine/**/*.js', 'dist/shared/**/*.js', 'dist-renderer/**/*']) {
      expect(files).toContain(f);
    }
    for (const m of ['sql.js', 'ws', 'yauzl', 'tar-stream']) expect(files).toContain(`node_modules/${m}/**/*`);
    expect(config.extraMetadata?.main).toBe('dist/electron/main/main.js');
    expect(config.asarUnpack).toContain('node_modules/sql.js/dist/sql-wasm.wasm');
    expect(fs.existsSync(path.join(root, 'node_modules', 'sql.js', 'dist', 'sql-wasm.wasm'))).toBe(true);
  });

  it('packs every module of ours that the main process loads at run time', () => {
    const files = filePatterns(config);
    const covered = (f: string): boolean =>
      files.some((p) => p === f || (p.endsWith('/**/*.js') && f.startsWith(p.slice(0, -'**/*.js'.length))));
    const loaded = runtimeModules('electron/main/main.ts');
    expect(loaded).toContain('electron/engine/host/host.ts');
    for (const f of loaded) {
      const js = `dist/${f.replace(/\.ts$/, '.js')}`;
      expect(covered(js), js).toBe(true);
    }
  });

  it('turns off the fuses that would let the binary run as plain Node', () => {
    expect(config.electronFuses).toMatchObject({ runAsNode: false, enableNodeOptionsEnvironmentVariable: false, enableNodeCliInspectArguments: false, onlyLoadAppFromAsar: true });
  });
});

/** Our source files reached from `entry` through value imports (type-only imports are erased). */
function runtimeModules(entry: string): string[] {
  const seen = new Set<string>();
  const visit = (rel: string): void => {
    if (seen.has(rel)) return;
    seen.add(rel);
    const src = fs.readFileSync(path.join(root, rel), 'utf8');
    for (const m of src.matchAll(/^import (?!type )[^;]*? from '(\.\.?\/[^']+)';/gms)) {
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(rel), `${m[1] ?? ''}.ts`));
      visit(target);
    }
  };
  visit(entry);
  return [...seen];
}

/** electron-builder normalises `files` into `{ filter }` groups; the patterns, flat. */
function filePatterns(c: Loaded): string[] {
  return (c.files ?? []).flatMap((f) => (typeof f === 'string' ? [f] : (f.filter ?? [])));
}
