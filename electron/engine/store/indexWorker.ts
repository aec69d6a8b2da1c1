/** Builds a bulk import's integer indexes off the main thread (see intIndexes.ts): one job, one reply. */
import { parentPort } from 'node:worker_threads';
import { type IndexWorkerReply, type IntIndexJob, buildIntIndexes } from './intIndexes';

const port = parentPort;
if (!port) throw new Error('the index worker must run in a worker thread');
port.once('message', (job: IntIndexJob) => {
  let reply: IndexWorkerReply;
  try {
    reply = { ok: true, trees: buildIntIndexes(job) };
  } catch (e) {
    reply = { ok: false, message: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
  port.postMessage(reply, reply.ok ? reply.trees.map((t) => t.pages.buffer as ArrayBuffer) : []);
});
