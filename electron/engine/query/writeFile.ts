/**
 * The engine's only way to write a file the user named (exports). Evidence is read, never written:
 * a destination that is — by path, by symbolic link or by hard link — one of the case's source files
 * or the open case file is refused. The content goes to a temporary file beside the destination,
 * which is renamed into place once complete, so a failed export never leaves half a file behind or
 * damages what was there. Every other file write in electron/engine/query/ must go through here.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { EngineError } from '../errors';

export type WriteChunk = (text: string) => Promise<void>;

function errnoCode(e: unknown): string | undefined {
  return e instanceof Error && 'code' in e && typeof e.code === 'string' ? e.code : undefined;
}

/** `fs.statSync`/`realpathSync` that answer undefined for a path that does not exist. */
function ifExists<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch (e) {
    if (errnoCode(e) === 'ENOENT' || errnoCode(e) === 'ENOTDIR') return undefined;
    throw e;
  }
}

/** Archive members are listed as `bundle.zip!/inner/path`: the file on disk is the part before `!/`. */
function diskPaths(p: string): string[] {
  const outer = p.split('!/')[0] ?? p;
  return outer === p ? [path.resolve(p)] : [path.resolve(p), path.resolve(outer)];
}

/** Throws 'bad-request' when `dest` is (by path, symbolic or hard link) one of `protectedPaths`. */
export function refuseProtected(dest: string, protectedPaths: readonly string[]): void {
  const destReal = ifExists(() => fs.realpathSync(dest));
  const destStat = ifExists(() => fs.statSync(dest));
  if (destStat?.isDirectory()) throw new EngineError('bad-request', `${dest} is a directory`);
  for (const p of protectedPaths.flatMap(diskPaths)) {
    const real = ifExists(() => fs.realpathSync(p)) ?? p;
    const same = p === dest || real === dest || (destReal !== undefined && (real === destReal || p === destReal));
    const st = destStat && ifExists(() => fs.statSync(p));
    if (same || (st && destStat && st.dev === destStat.dev && st.ino === destStat.ino)) {
      throw new EngineError('bad-request', `refusing to overwrite ${dest}: it is evidence or the open case's file`);
    }
  }
}

/**
 * Writes `produce`'s chunks to `dest` (replacing an existing file that is not protected) and returns
 * the resolved path. A symbolic link at `dest` is replaced, never written through.
 */
export async function writeNewFile(dest: string, protectedPaths: readonly string[], produce: (write: WriteChunk) => Promise<void>): Promise<string> {
  const resolved = path.resolve(dest);
  refuseProtected(resolved, protectedPaths);
  const tmp = path.join(path.dirname(resolved), `.${path.basename(resolved)}.partial-${process.pid}-${crypto.randomBytes(6).toString('hex')}`);
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(tmp, 'wx');
  } catch (e) {
    throw new EngineError('io-error', `cannot write ${resolved}: ${(e as Error).message}`);
  }
  try {
    await produce(async (text) => {
      await handle.write(text);
    });
    await handle.close();
    await fs.promises.rename(tmp, resolved);
  } catch (e) {
    await handle.close().catch(() => undefined); // already closed when the rename failed
    await fs.promises.rm(tmp, { force: true });
    if (e instanceof EngineError) throw e;
    throw new EngineError('io-error', `cannot write ${resolved}: ${(e as Error).message}`);
  }
  return resolved;
}
