import fs from 'node:fs';
import path from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import { afterAll, describe, expect, it } from 'vitest';
import type { MenuCommand } from '../../shared/api';
import { droppedPaths, launchPath, MAX_DROPPED } from '../../electron/main/launch';
import { menuTemplate } from '../../electron/main/menu';
import { MAX_RECENT, addRecent, loadRecent, saveRecent } from '../../electron/main/recent';
import { tmpDir } from '../helpers/evidence';

function submenu(item: MenuItemConstructorOptions | undefined): MenuItemConstructorOptions[] {
  const s = item?.submenu;
  if (!Array.isArray(s)) throw new Error(`no submenu in ${item?.label ?? item?.role ?? '?'}`);
  return s as MenuItemConstructorOptions[];
}

function click(item: MenuItemConstructorOptions | undefined): void {
  (item?.click as (() => void) | undefined)?.();
}

describe('menu', () => {
  const sent: { command: MenuCommand; path?: string }[] = [];
  let abouts = 0;
  const deps = {
    recent: ['/cases/b.cairn', '/cases/a.cairn'],
    dev: false,
    isMac: false,
    send: (command: MenuCommand, p?: string) => sent.push(p === undefined ? { command } : { command, path: p }),
    about: () => void abouts++,
  };
  const template = menuTemplate(deps);

  it('has File, Edit, View and Help', () => {
    expect(template.map((m) => m.label ?? m.role)).toEqual(['&File', 'editMenu', '&View', 'help']);
    expect(menuTemplate({ ...deps, isMac: true })[0]?.role).toBe('appMenu');
  });

  it('File items send menu:command pushes, Open recent with the path', () => {
    const file = submenu(template[0]);
    const labels = file.filter((i) => i.label).map((i) => i.label);
    expect(labels).toEqual(['Open evidence files…', 'Open evidence folder…', 'Open case…', 'Open recent', 'Save case', 'Save case as…', 'Export…', 'New case']);
    expect(file.at(-1)?.role).toBe('quit');
    for (const i of file) if (i.label !== 'Open recent') click(i);
    for (const i of submenu(file.find((i) => i.label === 'Open recent'))) click(i);
    expect(sent).toEqual([
      { command: 'open-evidence-files' },
      { command: 'open-evidence-folder' },
      { command: 'open-case' },
      { command: 'save-case' },
      { command: 'save-case-as' },
      { command: 'export' },
      { command: 'new-case' },
      { command: 'open-recent', path: '/cases/b.cairn' },
      { command: 'open-recent', path: '/cases/a.cairn' },
    ]);
  });

  it('shows an empty recent list as a disabled item', () => {
    const recent = submenu(submenu(menuTemplate({ ...deps, recent: [] })[0]).find((i) => i.label === 'Open recent'));
    expect(recent).toEqual([{ label: 'No recent cases', enabled: false }]);
  });

  it('offers reload and devtools only in development', () => {
    const roles = (dev: boolean) => submenu(menuTemplate({ ...deps, dev })[2]).map((i) => i.role);
    expect(roles(false)).not.toContain('reload');
    expect(roles(false)).not.toContain('toggleDevTools');
    expect(roles(true)).toContain('reload');
  });

  it('Help has About', () => {
    click(submenu(template[3])[0]);
    expect(abouts).toBe(1);
  });
});

describe('recent cases', () => {
  const dir = tmpDir('cairn-recent-');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keeps newest first, without duplicates, at most MAX_RECENT, across restarts', () => {
    const file = path.join(dir, 'user', 'recent.json');
    expect(loadRecent(file)).toEqual([]);
    let list: string[] = [];
    for (let i = 0; i < MAX_RECENT + 3; i++) list = addRecent(list, `/c/${i}.cairn`);
    list = addRecent(list, '/c/5.cairn');
    saveRecent(file, list);
    const back = loadRecent(file);
    expect(back).toHaveLength(MAX_RECENT);
    expect(back[0]).toBe('/c/5.cairn');
    expect(back.filter((p) => p === '/c/5.cairn')).toHaveLength(1);
  });

  it('forgets a damaged file and entries that are not absolute paths', () => {
    const file = path.join(dir, 'bad.json');
    fs.writeFileSync(file, '{not json');
    expect(loadRecent(file)).toEqual([]);
    fs.writeFileSync(file, JSON.stringify(['/ok.cairn', 'relative.cairn', 42, null]));
    expect(loadRecent(file)).toEqual(['/ok.cairn']);
  });
});

describe('launch and drop', () => {
  it('finds the path on the command line, packaged or not, skipping switches', () => {
    expect(launchPath(['/opt/Cairn/cairn', '/cases/x.cairn'], true, '/home')).toBe('/cases/x.cairn');
    expect(launchPath(['electron', 'dist/electron/main/main.js', 'evidence'], false, '/home/me')).toBe('/home/me/evidence');
    expect(launchPath(['/opt/Cairn/cairn', '--no-sandbox', '-psn_0_1', 'a.zip'], true, '/w')).toBe('/w/a.zip');
    expect(launchPath(['electron', 'main.js'], false, '/w')).toBeNull();
  });

  it('accepts only a non-empty list of absolute paths from the preload', () => {
    expect(droppedPaths(['/a/b.json.gz', '/a/AWSLogs'])).toEqual(['/a/b.json.gz', '/a/AWSLogs']);
    for (const bad of [[], 'x', null, ['relative'], ['/a', 3], ['/a\0b'], Array.from({ length: MAX_DROPPED + 1 }, () => '/a')]) {
      expect(droppedPaths(bad)).toBeNull();
    }
  });
});
