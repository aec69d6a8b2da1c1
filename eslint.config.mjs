// Lint rules that hold the architecture in place: each folder may import only what its runtime has
// (see shared/docs/architecture.md), and log fields never become HTML.
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

/** Bare Node module names (exact names: a pattern would also match local folders such as ./panels/events). */
const NODE_BUILTINS = ['assert', 'buffer', 'child_process', 'crypto', 'events', 'fs', 'fs/promises', 'http', 'https', 'net', 'os', 'path', 'process', 'stream', 'url', 'util', 'worker_threads', 'zlib'];

const noHtmlFromData = {
  selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']",
  message: 'Log fields are attacker-controlled: render text, never HTML.',
};

export default defineConfig(
  { ignores: ['dist/**', 'dist-renderer/**', 'node_modules/**', 'release/**', 'coverage/**', '.bench/**', 'tests/e2e/screenshots/**', 'electron/engine/wasm/assembly/**'] },
  tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.mts'],
    rules: {
      'no-restricted-syntax': ['error', noHtmlFromData],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The CommonJS entry point, and Node-side scripts and tests that load optional packages on demand.
    files: ['bin/**/*.js', 'bench/**/*.ts', 'tests/**/*.ts', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['../*', '../**'], message: 'shared/ imports nothing local outside shared/.' },
            { group: ['electron/*', 'node:*', 'react/*'], message: 'shared/ is plain TypeScript: no Electron, Node, React or DOM.' },
          ],
          paths: ['electron', 'react', 'react-dom', ...NODE_BUILTINS].map((name) => ({ name, message: 'shared/ is plain TypeScript: no Electron, Node, React or DOM.' })),
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['electron/*', 'node:*'], message: 'The renderer runs in a sandboxed page: no Electron, no Node.' },
            { group: ['**/electron/**', '**/electron'], message: 'The renderer reaches the engine only through renderer/api.ts.' },
          ],
          paths: ['electron', ...NODE_BUILTINS].map((name) => ({ name, message: 'The renderer runs in a sandboxed page: no Electron, no Node.' })),
        },
      ],
    },
  },
  {
    files: ['electron/engine/**/*.ts', 'electron/web/**/*.ts', 'electron/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'The engine, web mode and the CLI run in plain Node: they never import electron.' }] }],
    },
  },
  {
    // The UI's calls write one kind of file (exports), through one fenced function (writeFile.ts).
    files: ['electron/engine/query/**/*.ts'],
    ignores: ['electron/engine/query/writeFile.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['electron', 'fs', 'node:fs', 'fs/promises', 'node:fs/promises'].map((name) => ({
            name,
            message: name === 'electron' ? 'The engine never imports electron.' : 'Files are written only through writeFile.ts (it refuses evidence and the open case).',
          })),
        },
      ],
    },
  },
  {
    // The preload runs sandboxed: only electron's renderer modules and the shared contract.
    files: ['electron/preload/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ group: ['../engine/**', '../main/**', '../web/**', '../cli/**'], message: 'The preload exposes the contract only; it reaches nothing else.' }],
          paths: NODE_BUILTINS.map((name) => ({ name, message: 'A sandboxed preload has no Node modules.' })),
        },
      ],
    },
  },
);
