import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../electron/security';

it('the page carries the shells\' Content Security Policy itself (the app loads it from file:, where no header can)', () => {
  const html = fs.readFileSync(path.resolve(__dirname, '..', '..', 'renderer', 'index.html'), 'utf8');
  const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1];
  // frame-ancestors has no effect in a meta element (browsers ignore it there and say so).
  const expected = contentSecurityPolicy().split('; ').filter((d) => !d.startsWith('frame-ancestors')).join('; ');
  expect(meta).toBe(expected);
  expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.indexOf('<script'));
});
