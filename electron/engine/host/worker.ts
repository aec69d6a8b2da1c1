/**
 * The engine's thread. Creates the Engine (opening the case named in workerData, if any), relays its
 * pushes and answers calls through `dispatch`, so validation and error results are the same as in
 * any other face. Runs compiled (dist/electron/engine/host/worker.js); see host.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Engine } from '../engine';
import { createHandlers, dispatch, toErrorResult } from '../handlers';
import type { FromWorker, ToWorker, WorkerData } from './protocol';

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('host/worker.js must run in a worker thread');
  const send = (m: FromWorker): void => port.postMessage(m);
  const data = (workerData ?? {}) as WorkerData;
  let engine: Engine;
  try {
    engine = data.casePath ? await Engine.open(data.casePath) : await Engine.create();
  } catch (e) {
    const r = toErrorResult(e);
    send({ type: 'failed', code: r.ok ? 'internal' : r.error.code, message: r.ok ? 'engine failed to start' : r.error.message });
    return;
  }
  const handlers = createHandlers(engine, { warmNow: data.casePath !== undefined });
  engine.onPush((name, payload) => send({ type: 'push', name, payload }));
  port.on('message', (m: ToWorker) => {
    if (m.type === 'close') {
      engine.close();
      process.exit(0); // ends this thread only; import workers it started end with it
    }
    void dispatch(handlers, m.name, m.req).then((result) => send({ type: 'result', id: m.id, result }));
  });
  send({ type: 'ready' });
}

void main();
