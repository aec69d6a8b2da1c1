/**
 * The engine's expected failures, carried to the caller as `{code, message}`. Its own module so that
 * the shells (Electron's main process, the web server) can use it without loading the engine itself.
 */
import type { ApiErrorCode } from '../../shared/api';

export class EngineError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
  }
}
