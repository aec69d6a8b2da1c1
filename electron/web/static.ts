/**
 * Serves the built renderer (dist-renderer/) and nothing else: no path outside the folder (`..`,
 * encoded separators, symlinks pointing out), no directory listings, GET and HEAD only, a content type
 * from a fixed table (unknown extensions are octet-stream, and nosniff keeps browsers from guessing).
 */
import fs from 'node:fs';
import type { ServerResponse } from 'node:http';
import path from 'node:path';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

export function contentType(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The file a URL path names inside `root` (already a real path), or null when it is not a regular
 * file inside it. `/` is index.html.
 */
export async function resolveStatic(root: string, urlPath: string): Promise<string | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch (e) {
    if (e instanceof URIError) return null; // a malformed escape names no file
    throw e;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const rel = decoded === '/' ? 'index.html' : decoded.replace(/^\/+/, '');
  const candidate = path.resolve(root, rel);
  if (!isInside(root, candidate)) return null;
  try {
    const real = await fs.promises.realpath(candidate);
    if (!isInside(root, real)) return null;
    const st = await fs.promises.stat(real);
    return st.isFile() ? real : null;
  } catch (e) {
    if (isMissing(e)) return null;
    throw e;
  }
}

function isInside(root: string, p: string): boolean {
  return p.startsWith(root + path.sep);
}

function isMissing(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR' || code === 'ELOOP' || code === 'EACCES';
}

/** Sends a resolved file with the given headers; index.html is never cached, so a rebuilt renderer is picked up. */
export async function sendFile(
  res: ServerResponse,
  file: string,
  headers: Readonly<Record<string, string>>,
  headOnly: boolean,
): Promise<void> {
  const body = await fs.promises.readFile(file);
  res.writeHead(200, {
    ...headers,
    'Content-Type': contentType(file),
    'Content-Length': String(body.length),
    ...(path.basename(file) === 'index.html' ? { 'Cache-Control': 'no-store' } : {}),
  });
  res.end(headOnly ? undefined : body);
}
