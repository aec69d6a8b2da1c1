/**
 * The finish's jobs themselves (see offThread.ts), whichever thread runs them: a worker
 * (indexWorker.ts), or the import's own thread when the import is small.
 */
import { buildAuxImage } from './auxImage';
import { compareJob } from './copies';
import { buildIntIndexes, type NamedTree } from './intIndexes';
import { buildTextIndex } from './textIndexes';
import type { OffThreadDone, OffThreadJob } from './offThread';

/**
 * Runs `msg`; the integer indexes give each tree to `onTree` as soon as it is built. Returns the
 * job's reply and the buffers in it that a worker transfers back. Throws what the job throws.
 */
export function runJob(msg: OffThreadJob, onTree: (tree: NamedTree) => void): { readonly reply: OffThreadDone; readonly transfer: ArrayBuffer[] } {
  switch (msg.kind) {
    case 'int':
      buildIntIndexes(msg.job, onTree);
      return { reply: { ok: true, trees: [] }, transfer: [] };
    case 'aux': {
      const file = buildAuxImage(msg.job);
      return { reply: { ok: true, file }, transfer: [file.buffer as ArrayBuffer] };
    }
    case 'text': {
      const { indexes, pageSize } = msg.job;
      const trees = indexes.map(({ name, texts }) => ({ name, ...buildTextIndex(texts, pageSize) }));
      return { reply: { ok: true, trees }, transfer: trees.map((t) => t.pages.buffer as ArrayBuffer) };
    }
    case 'copies': {
      const identical = compareJob(msg.job);
      return { reply: { ok: true, identical }, transfer: [identical.buffer as ArrayBuffer] };
    }
  }
}
