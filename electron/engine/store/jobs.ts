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
      const tree = { name: msg.job.name, ...buildTextIndex(msg.job.texts, msg.job.pageSize) };
      return { reply: { ok: true, trees: [tree] }, transfer: [tree.pages.buffer as ArrayBuffer] };
    }
    case 'copies': {
      const identical = compareJob(msg.job);
      return { reply: { ok: true, identical }, transfer: [identical.buffer as ArrayBuffer] };
    }
  }
}
