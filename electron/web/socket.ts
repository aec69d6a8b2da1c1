/**
 * The web mode's side of shared/transport.ts: one CallMessage in, one answer out with the same id.
 * Engine calls go to the EngineHost (which validates payloads); the shell's own calls are answered
 * here. Anything malformed gets a `bad-request` answer (id -1 when no usable id was sent); nothing a
 * client sends can throw out of this module.
 */
import type { RawData } from 'ws';
import {
  API_CALLS,
  SHELL_CALLS,
  err,
  ok,
  type ApiName,
  type EngineCallName,
  type PushName,
  type Result,
  type ShellCallName,
} from '../../shared/api';
import type { ServerMessage } from '../../shared/transport';

/** What the server needs of the engine: EngineHost satisfies it. */
export interface ShellHost {
  call(name: EngineCallName, req: unknown): Promise<Result<unknown>>;
  onPush(listener: (name: PushName, payload: unknown) => void): () => void;
}

/** Bigger messages close the socket (ws answers 1009); the largest real call is a list of paths or SQL. */
export const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;
/** The id of answers to messages that carried no usable id. */
export const NO_ID = -1;

type Parsed = { readonly id: number; readonly call: ApiName; readonly req: unknown } | { readonly id: number; readonly error: string };

export function parseCall(data: RawData, isBinary: boolean): Parsed {
  if (isBinary) return { id: NO_ID, error: 'binary messages are not part of the protocol' };
  let msg: unknown;
  try {
    msg = JSON.parse(rawText(data));
  } catch (e) {
    if (e instanceof SyntaxError) return { id: NO_ID, error: 'message is not JSON' };
    throw e;
  }
  if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) return { id: NO_ID, error: 'message is not an object' };
  const m = msg as { id?: unknown; call?: unknown; req?: unknown };
  if (typeof m.id !== 'number' || !Number.isSafeInteger(m.id)) return { id: NO_ID, error: 'message has no integer id' };
  if (typeof m.call !== 'string' || !(API_CALLS as readonly string[]).includes(m.call)) {
    return { id: m.id, error: `unknown call ${JSON.stringify(String(m.call)).slice(0, 80)}` };
  }
  return { id: m.id, call: m.call as ApiName, req: m.req };
}

function rawText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

function isShellCall(name: ApiName): name is ShellCallName {
  return (SHELL_CALLS as readonly string[]).includes(name);
}

function shellCall(name: ShellCallName, version: string): Result<unknown> {
  switch (name) {
    case 'app:info':
      return ok({ shell: 'web', version });
    case 'dialog:open':
    case 'dialog:save':
      return err('unsupported', 'web mode has no native dialogs: type the path instead');
  }
}

/** The answer to one message from a client. */
export async function answer(data: RawData, isBinary: boolean, host: ShellHost, version: string): Promise<ServerMessage> {
  const parsed = parseCall(data, isBinary);
  if ('error' in parsed) return { id: parsed.id, result: err('bad-request', parsed.error) };
  if (isShellCall(parsed.call)) return { id: parsed.id, result: shellCall(parsed.call, version) };
  try {
    return { id: parsed.id, result: await host.call(parsed.call, parsed.req) };
  } catch (e) {
    // The host promises never to throw; if it does, the client still gets its answer.
    return { id: parsed.id, result: err('internal', e instanceof Error ? e.message : String(e)) };
  }
}
