import zlib from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';

afterEach(() => {
  vi.unstubAllGlobals();
  vi.resetModules();
});

describe('without WebAssembly', () => {
  it('gzip files and Records envelopes decline the scans and the record reader, so the JavaScript paths take them', async () => {
    vi.resetModules();
    vi.stubGlobal('WebAssembly', undefined);
    const { textScanner } = await import('../../../electron/engine/wasm/scan');
    const { gzipAsBlock } = await import('../../../electron/engine/import/gzipBlock');
    const { envelopeRecords } = await import('../../../electron/engine/import/envelope');
    const { newFieldReader } = await import('../../../electron/engine/wasm/fields');
    const text = Buffer.from('{"Records":[{"eventID":"a"},{"eventID":"b"}]}');
    expect(textScanner()).toBeNull();
    expect(newFieldReader()).toBeNull();
    expect(gzipAsBlock(zlib.gzipSync(text), 1 << 20, newFieldReader())).toBeNull();
    expect(envelopeRecords(text)).toBeNull();
  });

  it('with it, the same inputs take the scans', async () => {
    const { gzipAsBlock } = await import('../../../electron/engine/import/gzipBlock');
    const { envelopeRecords } = await import('../../../electron/engine/import/envelope');
    const { newFieldReader } = await import('../../../electron/engine/wasm/fields');
    const text = Buffer.from('{"Records":[{"eventID":"a"},{"eventID":"b"}]}');
    expect(gzipAsBlock(zlib.gzipSync(text), 1 << 20, newFieldReader())?.text.equals(text)).toBe(true);
    expect(envelopeRecords(text)?.map((b) => b.toString())).toEqual(['{"eventID":"a"}', '{"eventID":"b"}']);
  });
});
