/** Runs one job of an import's finish off the main thread (see offThread.ts): one job, one final reply (the integer indexes send each tree before it). */
import { parentPort } from 'node:worker_threads';
import { buildAuxImage } from './auxImage';
import { compareJob } from './copies';
import { buildIntIndexes } from './intIndexes';
import { buildTextIndex } from './textIndexes';
import type { OffThreadJob, OffThreadReply } from './offThread';

const port = parentPort;
if (!port) throw new Error('the index worker must run in a worker thread');
port.once('message', (msg: OffThreadJob) => {
  let reply: OffThreadReply;
  let transfer: ArrayBuffer[] = [];
  try {
    if (msg.kind === 'int') {
      // Each index goes back as soon as it is built: the main thread moves it into the file while
      // the next is built, and this thread lets it go.
      buildIntIndexes(msg.job, (tree) => port.postMessage({ ok: true, partial: tree } satisfies OffThreadReply, [tree.pages.buffer as ArrayBuffer]));
      reply = { ok: true, trees: [] };
    } else if (msg.kind === 'aux') {
      const file = buildAuxImage(msg.job);
      reply = { ok: true, file };
      transfer = [file.buffer as ArrayBuffer];
    } else if (msg.kind === 'text') {
      const tree = { name: msg.job.name, ...buildTextIndex(msg.job.texts, msg.job.pageSize) };
      reply = { ok: true, trees: [tree] };
      transfer = [tree.pages.buffer as ArrayBuffer];
    } else {
      const identical = compareJob(msg.job);
      reply = { ok: true, identical };
      transfer = [identical.buffer as ArrayBuffer];
    }
  } catch (e) {
    reply = { ok: false, message: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
  port.postMessage(reply, transfer);
});
