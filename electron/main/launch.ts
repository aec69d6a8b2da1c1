/** What the desktop app is asked to open: a path on its command line, or files dropped on the window. */
import path from 'node:path';

/**
 * The path given on the command line, resolved against `cwd`, or null. Packaged, argv is
 * [app, ...args]; unpackaged, [electron, main.js, ...args]. Switches (Chromium's, macOS's -psn_) are skipped.
 */
export function launchPath(argv: readonly string[], isPackaged: boolean, cwd: string): string | null {
  const args = argv.slice(isPackaged ? 1 : 2);
  const first = args.find((a) => !a.startsWith('-'));
  return first === undefined || first === '' ? null : path.resolve(cwd, first);
}

/** The most paths one drop may carry; a page cannot fake a drop, but the channel is checked anyway. */
export const MAX_DROPPED = 10_000;

/** The dropped paths the preload sent, or null if the message is not a list of absolute paths. */
export function droppedPaths(payload: unknown): string[] | null {
  if (!Array.isArray(payload) || payload.length === 0 || payload.length > MAX_DROPPED) return null;
  const paths: string[] = [];
  for (const p of payload) {
    if (typeof p !== 'string' || !path.isAbsolute(p) || p.includes('\0')) return null;
    paths.push(p);
  }
  return paths;
}
