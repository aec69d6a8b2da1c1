/**
 * The end of an import runs on workers (store/offThread.ts). When one of them fails, the import
 * fails with its reason and leaves the case as it was: no sources, no raw blocks, no open
 * transaction, so that the next import runs as if the failed one never had.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Engine } from '../../../electron/engine/engine';
import { BulkImage } from '../../../electron/engine/store/bulkImage';
import { DroppedCopies } from '../../../electron/engine/store/copies';
import { envelope, records, tmpDir, write } from '../../helpers/evidence';

const engines: Engine[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  for (const e of engines.splice(0)) e.close();
});

describe('an import whose finish fails', () => {
  it('leaves the case as it was, and the next import works', async () => {
    const engine = await Engine.create();
    engines.push(engine);
    const dir = tmpDir();
    write(dir, 'a.json', envelope(records(5)));
    vi.spyOn(BulkImage.prototype, 'finishAux').mockRejectedValueOnce(new Error('the dictionary worker died'));
    await expect(engine.importPaths([dir])).rejects.toThrow(/the dictionary worker died/);
    expect(engine.store.scalar('SELECT count(*) FROM sources')).toBe(0);
    expect(engine.store.blocks.size).toBe(0);

    const report = await engine.importPaths([dir]);
    expect(report.records).toMatchObject({ seen: 5, imported: 5, duplicates: 0 });
    expect(engine.store.scalar('SELECT count(*) FROM events')).toBe(5);
    expect(engine.store.all('PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
  });

  it('added to a case that has events, leaves them, their indexes and their sources as they were', async () => {
    const engine = await Engine.create();
    engines.push(engine);
    const dir = tmpDir();
    const first = write(dir, 'a.json', envelope(records(4)));
    await engine.importPaths([first]);
    const indexes = (): unknown[] => engine.store.all("SELECT name FROM sqlite_master WHERE type = 'index' UNION ALL SELECT name FROM aux.sqlite_master WHERE type = 'index' ORDER BY 1");
    const before = { indexes: indexes(), sources: engine.store.all('SELECT * FROM sources') };
    expect(before.indexes.length).toBeGreaterThan(10);

    const second = write(dir, 'b.json', envelope(records(3)));
    vi.spyOn(DroppedCopies.prototype, 'record').mockImplementationOnce(() => {
      throw new Error('out of memory');
    });
    await expect(engine.importPaths([second])).rejects.toThrow(/out of memory/);
    expect(engine.store.scalar('SELECT count(*) FROM events')).toBe(4);
    expect(engine.store.all('SELECT * FROM sources')).toEqual(before.sources);
    expect(indexes()).toEqual(before.indexes);
    expect(engine.store.all('PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);

    await engine.importPaths([second]);
    expect(engine.store.scalar('SELECT count(*) FROM events')).toBe(7);
  });
});
