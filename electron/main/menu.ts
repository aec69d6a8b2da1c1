/**
 * The native menu as a template (pure data plus click callbacks), so it is tested without Electron.
 * File items do not act themselves: they send a `menu:command` push and the renderer runs the same
 * flow as its own buttons (dialog:* then the engine call).
 */
import path from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../../shared/api';

export interface MenuDeps {
  readonly recent: readonly string[];
  readonly dev: boolean;
  readonly isMac: boolean;
  readonly send: (command: MenuCommand, path?: string) => void;
  readonly about: () => void;
}

function item(label: string, command: MenuCommand, send: MenuDeps['send'], accelerator?: string): MenuItemConstructorOptions {
  return { label, click: () => send(command), ...(accelerator === undefined ? {} : { accelerator }) };
}

function recentMenu(deps: MenuDeps): MenuItemConstructorOptions[] {
  if (deps.recent.length === 0) return [{ label: 'No recent cases', enabled: false }];
  return deps.recent.map((p) => ({ label: `${path.basename(p)} — ${path.dirname(p)}`, click: () => deps.send('open-recent', p) }));
}

function fileMenu(deps: MenuDeps): MenuItemConstructorOptions {
  const { send } = deps;
  return {
    label: '&File',
    submenu: [
      item('Open evidence files…', 'open-evidence-files', send, 'CmdOrCtrl+O'),
      item('Open evidence folder…', 'open-evidence-folder', send, 'CmdOrCtrl+Shift+O'),
      item('Open case…', 'open-case', send, 'CmdOrCtrl+Alt+O'),
      { label: 'Open recent', submenu: recentMenu(deps) },
      { type: 'separator' },
      item('Save case', 'save-case', send, 'CmdOrCtrl+S'),
      item('Save case as…', 'save-case-as', send, 'CmdOrCtrl+Shift+S'),
      item('Export…', 'export', send, 'CmdOrCtrl+E'),
      { type: 'separator' },
      item('New case', 'new-case', send, 'CmdOrCtrl+N'),
      { type: 'separator' },
      { role: 'quit' },
    ],
  };
}

function viewMenu(dev: boolean): MenuItemConstructorOptions {
  const devItems: MenuItemConstructorOptions[] = dev ? [{ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' }] : [];
  return {
    label: '&View',
    submenu: [...devItems, { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }],
  };
}

export function menuTemplate(deps: MenuDeps): MenuItemConstructorOptions[] {
  const app: MenuItemConstructorOptions[] = deps.isMac ? [{ role: 'appMenu' }] : [];
  return [
    ...app,
    fileMenu(deps),
    { role: 'editMenu' },
    viewMenu(deps.dev),
    { role: 'help', submenu: [{ label: 'About Cairn', click: deps.about }] },
  ];
}
