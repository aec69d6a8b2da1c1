/**
 * The end of an import runs on workers (store/offThread.ts). When one of them fails, the import
 * fails with its reason and leaves the case as it was: no sources, no raw blocks, no open
 * transaction, so that the next import runs as if the failed one never had.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Engine } from '../../../electron/engine/engine';
import { BulkImage } from '../../../electron/engine/store/bulkImage';
import { DroppedCopies } from '../../../electron/engine/store/copies';
import { buildTextIndexesOffThread, idleWorkers, prestartWorkers } from '../../../electron/engine/store/offThread';
import { packTexts } from '../../../electron/engine/store/textIndexes';
import { StoreWriter } from '../../../electron/engine/store/writer';
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

  it('starts workers for the finish only when it runs there, and a small import runs it on its own thread', async () => {
    const engine = await Engine.create();
    engines.push(engine);
    const dir = tmpDir();
    write(dir, 'a.json', envelope(records(5)));
    const waiting: number[] = [];
    // Workers are started ahead once an import has enough events for them (a finish forced onto them here).
    await engine.importPaths([dir], { finishOn: 'worker', onProgress: (p) => p.phase === 'indexing' && waiting.push(idleWorkers()) });
    // One for each job: the integer indexes, the text indexes (one after the other), the dictionary's file.
    expect(waiting[0]).toBe(3);
    expect(idleWorkers()).toBe(0);
    // Five events: no worker is started, and the finish builds the same store.
    const here = await Engine.create();
    engines.push(here);
    waiting.length = 0;
    await here.importPaths([dir], { onProgress: (p) => p.phase === 'indexing' && waiting.push(idleWorkers()) });
    expect(waiting[0]).toBe(0);
    expect(here.store.all('PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
    const q = 'SELECT rowId, eventID, eventName, eventTime FROM events ORDER BY rowId';
    expect(here.runSql(q, 10).rows).toEqual(engine.runSql(q, 10).rows);
  });

  it('stops the workers started ahead for the finish that no job took, whether the import is abandoned or finished', async () => {
    const engine = await Engine.create();
    engines.push(engine);
    const abandoned = new StoreWriter(engine.store, { bulk: true, finishOn: 'worker' });
    // As addEvents does once the import is large enough for the finish's workers.
    prestartWorkers(4);
    expect(idleWorkers()).toBe(4);
    abandoned.abort();
    expect(idleWorkers()).toBe(0);
    // More workers waiting than the finish has jobs for: those left are stopped when it ends.
    const finished = new StoreWriter(engine.store, { bulk: true, finishOn: 'worker' });
    prestartWorkers(6);
    expect(idleWorkers()).toBe(6);
    await finished.finish();
    expect(idleWorkers()).toBe(0);
  });

  it('fails a job whose input was handed to another thread already, instead of waiting for it forever', async () => {
    const texts = packTexts(['a', 'b', null], 3);
    if (!texts) throw new Error('packTexts declined three short texts');
    // A transferred buffer is detached: Node then posts the job to nobody, and says nothing.
    new MessageChannel().port1.postMessage(null, [texts.bytes.buffer as ArrayBuffer]);
    await expect(buildTextIndexesOffThread([{ name: 'ev_event_id', texts }], 4096)).rejects.toThrow(/text job's input was handed to another thread already/);
    // The same job with its input whole builds the index.
    const whole = packTexts(['a', 'b', null], 3);
    if (!whole) throw new Error('packTexts declined three short texts');
    await expect(buildTextIndexesOffThread([{ name: 'ev_event_id', texts: whole }], 4096)).resolves.toMatchObject([{ name: 'ev_event_id' }]);
  });

  it.each(['here', 'worker'] as const)('fails with the reason, and no unhandled rejection, when the comparison of duplicates fails before the indexes are in (finish %s)', async (finishOn) => {
    const engine = await Engine.create();
    engines.push(engine);
    const dir = tmpDir();
    const recs = records(5);
    write(dir, 'a.json', envelope(recs));
    write(dir, 'b.json', envelope(recs.slice(0, 2)));
    // Raw blocks whose checksum is wrong: the worker that compares the copies fails at once, and the
    // writer awaits that only after the index jobs, so the failure must not go unhandled meanwhile (a
    // spy on the comparison itself would handle its promise, so the damage is done to its input).
    const addBlock = StoreWriter.prototype.addBlock;
    vi.spyOn(StoreWriter.prototype, 'addBlock').mockImplementation(function (this: StoreWriter, usize: number, data: Uint8Array) {
      const damaged = Uint8Array.from(data);
      damaged[damaged.length - 1] = (damaged[damaged.length - 1] as number) ^ 0xff;
      return addBlock.call(this, usize, damaged);
    });
    await expect(engine.importPaths([dir], { finishOn })).rejects.toThrow(/incorrect data check/);
    expect(engine.store.scalar('SELECT count(*) FROM sources')).toBe(0);
    vi.restoreAllMocks();

    const report = await engine.importPaths([dir]);
    expect(report.records).toMatchObject({ seen: 7, imported: 5, duplicates: 2 });
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
