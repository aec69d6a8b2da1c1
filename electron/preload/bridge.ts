/**
 * The shape of `window.cairn`, what the preload exposes to the page: one function per name in
 * API_CALLS, each resolving to the call's Result (never rejecting for an API error), and `onPush`.
 * The renderer mirrors this type from shared/ (it must not import electron/).
 */
import type { ApiName, ApiRequest, ApiResponse, PushName, Result } from '../../shared/api';

export type CairnBridge = {
  readonly [K in ApiName]: (req: ApiRequest<K>) => Promise<Result<ApiResponse<K>>>;
} & {
  /** Subscribes to every push; returns the unsubscribe function. */
  readonly onPush: (listener: (name: PushName, payload: unknown) => void) => () => void;
};
