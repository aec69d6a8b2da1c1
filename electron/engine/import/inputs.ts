/**
 * Enumerates evidence: walks directories, sniffs each file's first bytes to find archives, and reads
 * zip and tar (optionally gzipped) archives as streams — members are handed over as bytes, nothing is
 * ever extracted to disk, and links inside archives are listed but never followed. Evidence is opened
 * read-only.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import * as tarStream from 'tar-stream';
import yauzl from 'yauzl';
import type { SourceKind } from '../../../shared/domain';
import { GZIP_MAGIC, archiveKind } from './decode';

/** Largest archive member read into memory. */
export const MAX_MEMBER_BYTES = 2 * 1024 ** 3 - 1;
const MAX_ARCHIVE_DEPTH = 3;
/** Files at least this big are sniffed here, so that large archives are streamed rather than loaded. */
const SNIFF_MIN_BYTES = 1024 * 1024;

export interface SourceInfo {
  readonly parentId: number | null;
  readonly path: string;
  readonly size: number;
  readonly sha256: string | null;
  readonly kind: SourceKind;
  readonly note: string | null;
}

export interface InputSink {
  /** Registers a source that will not be parsed by a worker (archives, skipped entries); returns its id. */
  source(info: SourceInfo): number;
  /** Reserves an id for a file a worker will parse. */
  reserve(parentId: number | null, displayPath: string, note?: string | null): number;
  /** Hands a file to the workers; resolves when there is room for more. */
  submit(task: { sourceId: number; displayPath: string; path: string } | { sourceId: number; displayPath: string; bytes: Uint8Array }): Promise<void>;
  cancelled(): boolean;
}

async function sniff(file: string): Promise<'zip' | 'tar' | 'tgz' | 'other'> {
  const fh = await fs.promises.open(file, 'r');
  try {
    const head = Buffer.alloc(64 * 1024);
    const { bytesRead } = await fh.read(head, 0, head.length, 0);
    return archiveKind(head.subarray(0, bytesRead)) ?? 'other';
  } finally {
    await fh.close();
  }
}

export async function hashFile(file: string): Promise<string> {
  const h = crypto.createHash('sha256');
  for await (const chunk of fs.createReadStream(file, { flags: 'r' }) as AsyncIterable<Buffer>) h.update(chunk);
  return h.digest('hex');
}

function memberNote(name: string): string | null {
  const parts = name.split(/[\\/]+/);
  if (path.isAbsolute(name) || /^[a-zA-Z]:/.test(name) || parts.includes('..')) {
    return 'member path points outside the archive (read in memory, never extracted)';
  }
  return null;
}

export class InputReader {
  constructor(private readonly sink: InputSink) {}

  async readPaths(paths: readonly string[]): Promise<void> {
    for (const p of paths) {
      if (this.sink.cancelled()) return;
      await this.readPath(path.resolve(p), null);
    }
  }

  /**
   * A directory is listed, and a path looked at, synchronously: awaited, each step waited for a turn
   * of this thread's event loop, which is busy with the workers' events, and at each directory the
   * files queued for the workers ran out (each sat idle ~1 s of a 1M import's ~4.6 s, ~600 ms of it in
   * 42 waits longer than 5 ms; instrumented copy). With it, and 256 files a worker (coordinator.ts),
   * 1M imports took 5.59 s against 6.13 s at the median of six (alternating, timing script).
   */
  private async readPath(p: string, parentId: number | null): Promise<void> {
    let st: fs.Stats;
    try {
      st = fs.lstatSync(p);
      if (st.isSymbolicLink()) {
        const target = fs.statSync(p);
        if (target.isDirectory()) {
          this.sink.source({ parentId, path: p, size: 0, sha256: null, kind: 'unsupported', note: 'symbolic link to a directory not followed' });
          return;
        }
        st = target;
      }
    } catch (e) {
      this.sink.source({ parentId, path: p, size: 0, sha256: null, kind: 'unreadable', note: `cannot read: ${(e as Error).message}` });
      return;
    }
    if (st.isDirectory()) {
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(p, { withFileTypes: true }).sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
      } catch (e) {
        this.sink.source({ parentId, path: p, size: 0, sha256: null, kind: 'unreadable', note: `cannot list directory: ${(e as Error).message}` });
        return;
      }
      for (const entry of entries) {
        if (this.sink.cancelled()) return;
        const child = path.join(p, entry.name);
        // Regular files go straight to a worker (no stat here: file-system calls are slow on some
        // machines and a tree can hold 100,000 files); the worker recognises archives by content.
        if (entry.isFile()) await this.sink.submit({ sourceId: this.sink.reserve(parentId, child), displayPath: child, path: child });
        else await this.readPath(child, parentId);
      }
      return;
    }
    if (!st.isFile()) {
      this.sink.source({ parentId, path: p, size: st.size, sha256: null, kind: 'unsupported', note: 'not a regular file' });
      return;
    }
    if (st.size < SNIFF_MIN_BYTES) {
      // Small files go straight to a worker, which recognises an archive by content and hands it back.
      await this.sink.submit({ sourceId: this.sink.reserve(parentId, p), displayPath: p, path: p });
      return;
    }
    let kind: Awaited<ReturnType<typeof sniff>>;
    try {
      kind = await sniff(p);
    } catch (e) {
      this.sink.source({ parentId, path: p, size: st.size, sha256: null, kind: 'unreadable', note: `cannot read: ${(e as Error).message}` });
      return;
    }
    if (kind === 'other') {
      await this.sink.submit({ sourceId: this.sink.reserve(parentId, p), displayPath: p, path: p });
      return;
    }
    const id = this.sink.source({ parentId, path: p, size: st.size, sha256: await hashFile(p), kind: kind === 'zip' ? 'zip' : 'tar', note: null });
    await this.readArchive(kind, p, { file: p }, id, 1);
  }

  /** Reads an archive from a file or from bytes; failures become notes on an extra source row. */
  async readArchive(kind: 'zip' | 'tar' | 'tgz', display: string, from: { file: string } | { bytes: Buffer }, archiveId: number, depth: number): Promise<void> {
    if (depth > MAX_ARCHIVE_DEPTH) {
      this.sink.source({ parentId: archiveId, path: display, size: 0, sha256: null, kind: 'unsupported', note: `archives nested deeper than ${MAX_ARCHIVE_DEPTH} levels are not read` });
      return;
    }
    try {
      if (kind === 'zip') await this.readZip(display, from, archiveId);
      else await this.readTar(display, from, archiveId);
    } catch (e) {
      this.sink.source({ parentId: archiveId, path: `${display}!`, size: 0, sha256: null, kind: 'unreadable', note: `archive damaged: ${(e as Error).message}; members before the damage were read` });
    }
  }

  private async member(display: string, name: string, archiveId: number, bytes: Buffer): Promise<void> {
    const shown = `${display}!/${name}`;
    // A member claiming to live outside the archive is still evidence: import it, and say so.
    await this.sink.submit({ sourceId: this.sink.reserve(archiveId, shown, memberNote(name)), displayPath: shown, bytes });
  }

  private skipMember(display: string, name: string, archiveId: number, size: number, note: string): void {
    this.sink.source({ parentId: archiveId, path: `${display}!/${name}`, size, sha256: null, kind: 'unsupported', note });
  }

  private readZip(display: string, from: { file: string } | { bytes: Buffer }, archiveId: number): Promise<void> {
    // Names are decoded here, not by yauzl, which refuses a whole archive over one absolute or `..` name.
    const opts = { lazyEntries: true, autoClose: true, strictFileNames: false, validateEntrySizes: true, decodeStrings: false };
    return new Promise<void>((resolve, reject) => {
      const onZip = (err: Error | null, zip?: yauzl.ZipFile): void => {
        if (err || !zip) return reject(err ?? new Error('cannot open zip'));
        zip.on('error', reject);
        zip.on('end', () => resolve());
        zip.on('entry', (entry: yauzl.Entry) => {
          void this.zipEntry(display, zip, entry, archiveId).then(
            () => (this.sink.cancelled() ? (zip.close(), resolve()) : zip.readEntry()),
            reject,
          );
        });
        zip.readEntry();
      };
      if ('file' in from) yauzl.open(from.file, opts, onZip);
      else yauzl.fromBuffer(from.bytes, opts, onZip);
    });
  }

  private async zipEntry(display: string, zip: yauzl.ZipFile, entry: yauzl.Entry, archiveId: number): Promise<void> {
    const raw = entry.fileName as unknown as string | Buffer;
    const name = typeof raw === 'string' ? raw : raw.toString((entry.generalPurposeBitFlag & 0x800) !== 0 ? 'utf8' : 'latin1');
    if (name.endsWith('/')) return;
    const mode = (entry.externalFileAttributes >>> 16) & 0o170000;
    if (mode === 0o120000) return this.skipMember(display, name, archiveId, entry.uncompressedSize, 'symbolic link inside the archive, not followed');
    if ((entry.generalPurposeBitFlag & 1) !== 0) return this.skipMember(display, name, archiveId, entry.compressedSize, 'encrypted member, cannot be read');
    if (entry.uncompressedSize > MAX_MEMBER_BYTES) return this.skipMember(display, name, archiveId, entry.uncompressedSize, `member larger than ${MAX_MEMBER_BYTES} bytes, not read`);
    let bytes: Buffer;
    try {
      const stream = await new Promise<Readable>((res, rej) => zip.openReadStream(entry, (e, s) => (e || !s ? rej(e ?? new Error('no stream')) : res(s))));
      bytes = await collect(stream as AsyncIterable<Buffer> & Readable, MAX_MEMBER_BYTES);
    } catch (e) {
      return this.skipMember(display, name, archiveId, entry.uncompressedSize, `member cannot be read: ${(e as Error).message}`);
    }
    await this.member(display, name, archiveId, bytes);
  }

  private async readTar(display: string, from: { file: string } | { bytes: Buffer }, archiveId: number): Promise<void> {
    const raw: Readable = 'file' in from ? fs.createReadStream(from.file, { flags: 'r' }) : Readable.from([from.bytes]);
    const extract = tarStream.extract();
    const head = 'file' in from ? undefined : from.bytes;
    const gz = head ? GZIP_MAGIC(head) : (await sniff((from as { file: string }).file)) === 'tgz';
    const source = gz ? raw.pipe(zlib.createGunzip()) : raw;
    source.on('error', (e) => extract.destroy(e));
    source.pipe(extract);
    for await (const entry of extract) {
      const name = entry.header.name;
      const type = entry.header.type;
      if (type === 'file' || type === 'contiguous-file') {
        if ((entry.header.size ?? 0) > MAX_MEMBER_BYTES) {
          entry.resume();
          this.skipMember(display, name, archiveId, entry.header.size ?? 0, `member larger than ${MAX_MEMBER_BYTES} bytes, not read`);
          continue;
        }
        const bytes = await collect(entry as unknown as AsyncIterable<Buffer> & { destroy(): void }, MAX_MEMBER_BYTES);
        await this.member(display, name, archiveId, bytes);
      } else {
        entry.resume();
        if (type === 'symlink' || type === 'link') {
          this.skipMember(display, name, archiveId, 0, `${type === 'link' ? 'hard' : 'symbolic'} link to ${entry.header.linkname ?? '?'} inside the archive, not followed`);
        } else if (type !== 'directory' && type !== null) {
          this.skipMember(display, name, archiveId, entry.header.size ?? 0, `tar entry of type ${type} not read`);
        }
      }
      if (this.sink.cancelled()) {
        raw.destroy();
        return;
      }
    }
  }
}

async function collect(stream: AsyncIterable<Buffer> & { destroy(): void }, cap: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    total += chunk.length;
    if (total > cap) {
      stream.destroy();
      throw new Error(`member inflates beyond ${cap} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
