/** Worker thread of the archive generator: rebuilds the world and writes its share of the files. */
import { parentPort, workerData } from 'node:worker_threads';
import type { Layout } from './layout';
import type { Plan } from './plan';
import { buildWorld } from './world';
import { writeFiles } from './writer';

export interface GenWorkerData {
  readonly seed: number;
  readonly accounts: number;
  readonly regions: number;
  readonly plan: Plan;
  readonly layout: Layout;
  readonly dir: string;
  readonly index: number;
  readonly step: number;
}

const data = workerData as GenWorkerData;
const port = parentPort;
if (!port) throw new Error('bench/gen/worker.js must run as a worker thread');
const env = { w: buildWorld(data.seed, data.accounts, data.regions), plan: data.plan, layout: data.layout };
const totals = writeFiles(env, data.dir, data.index, data.step, (t) => port.postMessage({ type: 'progress', ...t }));
port.postMessage({ type: 'done', ...totals });
