/**
 * A recording stand-in for the parts of the `electron` module the main process uses, for running the
 * compiled main.js where the Electron binary is absent. It records what main asks for and lets a
 * test play Electron's side (IPC events, menu clicks, quitting); it decides nothing itself.
 */
import type { BrowserWindowConstructorOptions, MenuItemConstructorOptions } from 'electron';

type Fn = (...args: unknown[]) => unknown;

export interface FakeWindow {
  readonly options: BrowserWindowConstructorOptions;
  readonly guards: string[];
  loaded: string | null;
}

export interface Recorded {
  sandboxed: boolean;
  readonly session: { before?: Fn; headers?: Fn; permissionRequest?: Fn; permissionCheck?: Fn };
  readonly handlers: Map<string, Fn>;
  readonly listeners: Map<string, Fn>;
  readonly appEvents: Map<string, Fn>;
  readonly windows: FakeWindow[];
  readonly sent: unknown[][];
  readonly menus: MenuItemConstructorOptions[][];
  readonly errors: string[][];
  /** Plays a quit: emits will-quit and waits until main calls app.quit() again. */
  quit(): Promise<void>;
  clickMenu(label: string): void;
}

function findItem(items: readonly MenuItemConstructorOptions[], label: string): MenuItemConstructorOptions | null {
  for (const i of items) {
    if (i.label === label) return i;
    const found = Array.isArray(i.submenu) ? findItem(i.submenu as MenuItemConstructorOptions[], label) : null;
    if (found) return found;
  }
  return null;
}

function windowClass(rec: Recorded): unknown {
  return class {
    readonly webContents: unknown;
    private readonly record: FakeWindow;
    constructor(options: BrowserWindowConstructorOptions) {
      this.record = { options, guards: [], loaded: null };
      rec.windows.push(this.record);
      const guards = this.record.guards;
      this.webContents = {
        id: 7,
        send: (...args: unknown[]) => rec.sent.push(args),
        on: (event: string) => guards.push(event),
        setWindowOpenHandler: () => guards.push('window-open'),
      };
    }
    loadURL(url: string): Promise<void> {
      this.record.loaded = url;
      return Promise.resolve();
    }
    once(event: string, fn: Fn): void {
      if (event === 'ready-to-show') fn();
    }
    on(): void {}
    show(): void {}
    isDestroyed(): boolean {
      return false;
    }
  };
}

export function fakeElectron(appPath: string, userData: string): { module: unknown; rec: Recorded } {
  const quitWaiters: (() => void)[] = [];
  const rec: Recorded = {
    sandboxed: false,
    session: {},
    handlers: new Map(),
    listeners: new Map(),
    appEvents: new Map(),
    windows: [],
    sent: [],
    menus: [],
    errors: [],
    quit: () =>
      new Promise<void>((resolve) => {
        let prevented = false;
        quitWaiters.push(resolve);
        rec.appEvents.get('will-quit')?.({ preventDefault: () => void (prevented = true) });
        if (!prevented) quitWaiters.splice(0).forEach((w) => w()); // nothing to wait for: Electron would quit now
      }),
    clickMenu: (label) => {
      const item = findItem(rec.menus.at(-1) ?? [], label);
      if (!item?.click) throw new Error(`no menu item ${label}`);
      (item.click as () => void)();
    },
  };
  const module = {
    app: {
      isPackaged: false,
      enableSandbox: () => void (rec.sandboxed = true),
      requestSingleInstanceLock: () => true,
      on: (event: string, fn: Fn) => rec.appEvents.set(event, fn),
      whenReady: () => Promise.resolve(),
      getAppPath: () => appPath,
      getPath: (name: string) => (name === 'userData' ? userData : `${userData}-${name}`),
      getVersion: () => '0.1.0',
      quit: () => quitWaiters.splice(0).forEach((w) => w()),
      exit: (code: number) => rec.errors.push(['exit', String(code)]),
    },
    session: {
      defaultSession: {
        webRequest: { onBeforeRequest: (l: Fn) => void (rec.session.before = l), onHeadersReceived: (l: Fn) => void (rec.session.headers = l) },
        setPermissionRequestHandler: (h: Fn) => void (rec.session.permissionRequest = h),
        setPermissionCheckHandler: (h: Fn) => void (rec.session.permissionCheck = h),
      },
    },
    ipcMain: { handle: (ch: string, fn: Fn) => rec.handlers.set(ch, fn), on: (ch: string, fn: Fn) => rec.listeners.set(ch, fn) },
    BrowserWindow: windowClass(rec),
    Menu: { buildFromTemplate: (t: MenuItemConstructorOptions[]) => t, setApplicationMenu: (m: MenuItemConstructorOptions[]) => rec.menus.push(m) },
    dialog: {
      showErrorBox: (title: string, message: string) => rec.errors.push([title, message]),
      showMessageBox: () => Promise.resolve({ response: 0 }),
      showOpenDialog: () => Promise.resolve({ canceled: true, filePaths: [] }),
      showSaveDialog: () => Promise.resolve({ canceled: true }),
    },
  };
  return { module, rec };
}
