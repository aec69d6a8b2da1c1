/** Runs one job of an import's finish off the main thread (see offThread.ts): one job, one final reply (the integer indexes send each tree before it). */
import { parentPort } from 'node:worker_threads';
import { runJob } from './jobs';
import type { OffThreadJob, OffThreadReply } from './offThread';

const port = parentPort;
if (!port) throw new Error('the index worker must run in a worker thread');
port.once('message', (msg: OffThreadJob) => {
  let reply: OffThreadReply;
  let transfer: ArrayBuffer[] = [];
  try {
    // Each index of the integer job goes back as soon as it is built: the main thread moves it
    // into the file while the next is built, and this thread lets it go.
    ({ reply, transfer } = runJob(msg, (tree) => port.postMessage({ ok: true, partial: tree } satisfies OffThreadReply, [tree.pages.buffer as ArrayBuffer])));
  } catch (e) {
    reply = { ok: false, message: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
  port.postMessage(reply, transfer);
});
