/**
 * Results kept per (store, key) while the events do not change: the table asks for many pages of
 * one filter and sort, and their totals and sort groups cost a scan each. Events are only ever
 * appended, so the largest row id tells whether what is cached still describes the table.
 */
import type { Store } from '../store/store';

const MAX_ENTRIES = 200;

export class QueryCache {
  private store: Store | null = null;
  private maxId = -1;
  private readonly entries = new Map<string, unknown>();

  get<T>(store: Store, key: string, compute: () => T): T {
    const maxId = store.scalar('SELECT max(id) FROM ev');
    if (store !== this.store || maxId !== this.maxId) {
      this.entries.clear();
      this.store = store;
      this.maxId = maxId;
    }
    if (this.entries.has(key)) return this.entries.get(key) as T;
    const value = compute();
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(key, value);
    return value;
  }
}
