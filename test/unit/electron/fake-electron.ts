// A stand-in for the `electron` module (Electron's binary cannot run here): just enough of app, BrowserWindow,
// ipcMain, protocol, session, dialog and Menu for the main process's wiring to run, recording what it is asked.
// `vi.mock('electron', ...)` hands it to the code under test; `fake` is what a test inspects and drives.
import { EventEmitter } from 'node:events';
import type { BrowserWindowConstructorOptions } from 'electron';

type Listener = (...args: unknown[]) => unknown;

export class FakeWebContents extends EventEmitter {
  readonly mainFrame: { url: string };
  readonly sent: { channel: string; payload: unknown }[] = [];
  windowOpenHandler: ((details: unknown) => { action: string }) | null = null;
  readonly printToPDF = async (options: unknown): Promise<Buffer> => {
    fake.printed.push({ url: this.mainFrame.url, options });
    return Buffer.from('%PDF-1.7 fake');
  };

  constructor() {
    super();
    this.mainFrame = { url: '' };
  }

  setWindowOpenHandler(handler: (details: unknown) => { action: string }): void {
    this.windowOpenHandler = handler;
  }

  send(channel: string, payload: unknown): void {
    this.sent.push({ channel, payload });
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static getAllWindows(): FakeBrowserWindow[] {
    return fake.windows.filter((window) => !window.destroyed);
  }

  readonly webContents = new FakeWebContents();
  destroyed = false;
  shown = false;

  constructor(readonly options: BrowserWindowConstructorOptions) {
    super();
    fake.windows.push(this);
  }

  async loadURL(url: string): Promise<void> {
    this.webContents.mainFrame.url = url;
    fake.loaded.push(url);
    await fake.onLoad(url);
    this.emit('ready-to-show');
  }

  show(): void {
    this.shown = true;
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  destroy(): void {
    this.destroyed = true;
    this.emit('closed');
  }
}

class FakeApp extends EventEmitter {
  isPackaged = true;
  sandboxEnabled = false;
  quitCalls = 0;
  private readyResolve: () => void = () => undefined;
  readonly ready = new Promise<void>((resolve) => { this.readyResolve = resolve; });

  enableSandbox(): void {
    this.sandboxEnabled = true;
  }

  whenReady(): Promise<void> {
    return this.ready;
  }

  becomeReady(): void {
    fake.readyAt = fake.calls.length;
    this.readyResolve();
  }

  quit(): void {
    this.quitCalls += 1;
  }

  exit(code: number): void {
    throw new Error(`app.exit(${code}) in a test`);
  }

  getPath(name: string): string {
    return `/home/student/${name}`;
  }

  getAppPath(): string {
    return '/opt/raft-lab/resources/app.asar';
  }
}

export interface FakeState {
  app: FakeApp;
  windows: FakeBrowserWindow[];
  loaded: string[];
  printed: { url: string; options: unknown }[];
  /** Every call into the stand-in, in order, by name (to check what happened before the app was ready). */
  calls: string[];
  readyAt: number;
  handlers: Map<string, Listener>;
  privilegedSchemes: unknown[];
  protocolHandler: ((request: Request) => Response | Promise<Response>) | null;
  permissionRequest: Listener | null;
  permissionCheck: Listener | null;
  headersListener: Listener | null;
  saveDialog: { canceled: boolean; filePath?: string };
  openDialog: { canceled: boolean; filePaths: string[] };
  dialogsShown: unknown[];
  onLoad(url: string): Promise<void> | void;
}

function freshState(): FakeState {
  return { app: new FakeApp(), windows: [], loaded: [], printed: [], calls: [], readyAt: -1, handlers: new Map(),
    privilegedSchemes: [], protocolHandler: null, permissionRequest: null, permissionCheck: null, headersListener: null,
    saveDialog: { canceled: true }, openDialog: { canceled: true, filePaths: [] }, dialogsShown: [], onLoad: () => undefined };
}

export let fake: FakeState = freshState();

export function resetFakeElectron(): FakeState {
  fake = freshState();
  return fake;
}

/** The module `electron` as the code under test sees it (each getter reads the current fake). */
export const fakeElectronModule = {
  get app() {
    return fake.app;
  },
  BrowserWindow: FakeBrowserWindow,
  ipcMain: {
    handle(channel: string, listener: Listener): void {
      fake.calls.push(`ipcMain.handle ${channel}`);
      if (fake.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
      fake.handlers.set(channel, listener);
    },
    removeHandler(channel: string): void {
      fake.handlers.delete(channel);
    },
  },
  protocol: {
    registerSchemesAsPrivileged(schemes: unknown[]): void {
      fake.calls.push('protocol.registerSchemesAsPrivileged');
      fake.privilegedSchemes.push(...schemes);
    },
    handle(_scheme: string, handler: (request: Request) => Response | Promise<Response>): void {
      fake.calls.push('protocol.handle');
      fake.protocolHandler = handler;
    },
  },
  session: {
    defaultSession: {
      setPermissionRequestHandler(handler: Listener): void {
        fake.permissionRequest = handler;
      },
      setPermissionCheckHandler(handler: Listener): void {
        fake.permissionCheck = handler;
      },
      webRequest: {
        onHeadersReceived(listener: Listener): void {
          fake.headersListener = listener;
        },
      },
    },
  },
  dialog: {
    async showSaveDialog(...args: unknown[]): Promise<{ canceled: boolean; filePath?: string }> {
      fake.dialogsShown.push(args);
      return fake.saveDialog;
    },
    async showOpenDialog(...args: unknown[]): Promise<{ canceled: boolean; filePaths: string[] }> {
      fake.dialogsShown.push(args);
      return fake.openDialog;
    },
  },
  Menu: {
    buildFromTemplate: (template: unknown) => template,
    setApplicationMenu: () => undefined,
  },
  shell: { openExternal: async () => undefined },
};
