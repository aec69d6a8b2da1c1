/** Messages between `EngineHost` (host.ts) and the engine's worker thread (worker.ts). */
import type { ApiErrorCode, EngineCallName, PushName, Result } from '../../../shared/api';

export interface WorkerData {
  readonly casePath?: string;
}

export type ToWorker = { readonly type: 'call'; readonly id: number; readonly name: EngineCallName; readonly req: unknown } | { readonly type: 'close' };

export type FromWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'failed'; readonly code: ApiErrorCode; readonly message: string }
  | { readonly type: 'result'; readonly id: number; readonly result: Result<unknown> }
  | { readonly type: 'push'; readonly name: PushName; readonly payload: unknown };
