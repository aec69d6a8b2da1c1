/**
 * IPC channel names, shared by the main process and the preload. One invoke channel per API call
 * (`cairn:<name>`), one channel for pushes, and one private channel the page never sees: the preload
 * sends the paths of files dropped on the window over it.
 */
import type { ApiName } from '../../shared/api';

export function callChannel(name: ApiName): string {
  return `cairn:${name}`;
}

export const PUSH_CHANNEL = 'cairn:push';
export const DROP_CHANNEL = 'cairn-private:drop';
