// The desktop app's main process, driven with a stand-in for `electron` (its binary cannot run here): the window's
// settings, the raft-lab:// scheme and its path checks, IPC validation (a bad call is refused with a clear error and
// does nothing), the handout-to-PDF flow, and that quitting waits until the lab has stopped every node.
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DesktopLab } from '../../../electron/main/desktop-app';
import { IPC_CHANNELS } from '../../../src/protocol/bridge-frames';
import { fake, resetFakeElectron, type FakeBrowserWindow } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).fakeElectronModule);

const { startDesktopApp } = await import('../../../electron/main/desktop-app');

const HANDOUT = '<!doctype html><html><head><style>h1{color:red}</style></head><body><h1>Leader crash</h1></body></html>';

interface Lab extends DesktopLab {
  readonly calls: string[];
  finishClose(): void;
}

/** A lab whose calls are recorded; close() resolves when the test says the nodes are gone. */
function fakeLab(): Lab {
  const calls: string[] = [];
  let finish: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => { finish = resolve; });
  const method = (name: string) => vi.fn(async () => { calls.push(name); return 'done'; });
  const lab = {
    calls,
    finishClose: () => finish(),
    startCluster: method('startCluster'),
    getSnapshot: method('getSnapshot'),
    crashNode: method('crashNode'),
    subscribe: vi.fn(() => () => undefined),
    close: vi.fn(async () => { calls.push('close'); await closed; calls.push('closed'); }),
    killAllNow: vi.fn(() => { calls.push('killAllNow'); }),
  };
  return lab as unknown as Lab;
}

let root: string;
let lab: Lab;
let exitListeners: (() => void)[];

async function startApp(): Promise<FakeBrowserWindow> {
  startDesktopApp({ mainDir: join(root, 'out', 'main'), createLab: async () => lab });
  fake.app.becomeReady();
  await vi.waitFor(() => expect(fake.loaded.length).toBe(1));
  return fake.windows[0] as FakeBrowserWindow;
}

/** An IPC event as Electron builds it, from `window`'s main frame or from somewhere else. */
function eventFrom(window: FakeBrowserWindow, from: 'main-frame' | 'subframe' | 'other-window' = 'main-frame'): unknown {
  if (from === 'other-window') return { sender: {}, senderFrame: { url: window.webContents.mainFrame.url } };
  const senderFrame = from === 'main-frame' ? window.webContents.mainFrame : { url: window.webContents.mainFrame.url };
  return { sender: window.webContents, senderFrame };
}

function handler(channel: string): (...args: unknown[]) => Promise<unknown> {
  const found = fake.handlers.get(channel);
  if (!found) throw new Error(`no IPC handler for ${channel}`);
  return found as (...args: unknown[]) => Promise<unknown>;
}

async function request(url: string): Promise<Response> {
  if (!fake.protocolHandler) throw new Error('no raft-lab:// handler');
  return fake.protocolHandler({ url, method: 'GET' } as Request);
}

beforeEach(() => {
  resetFakeElectron();
  root = mkdtempSync(join(tmpdir(), 'raft-lab-main-'));
  mkdirSync(join(root, 'out', 'renderer', 'assets'), { recursive: true });
  writeFileSync(join(root, 'out', 'renderer', 'index.html'), '<!doctype html><title>Raft Lab</title>');
  writeFileSync(join(root, 'out', 'renderer', 'assets', 'app.js'), 'export {};');
  writeFileSync(join(root, 'out', 'secret.txt'), 'not for the renderer');
  lab = fakeLab();
  exitListeners = [];
  const on = process.on.bind(process);
  vi.spyOn(process, 'on').mockImplementation(((event: string, listener: () => void) => {
    if (event === 'exit') exitListeners.push(listener);
    else on(event, listener);
    return process;
  }) as typeof process.on);
});

afterEach(() => {
  vi.restoreAllMocks();
  rmSync(root, { recursive: true, force: true });
});

describe('the main window', () => {
  it('is locked down: context isolation, sandbox, no Node integration, web security, our preload only', async () => {
    const window = await startApp();
    const prefs = window.options.webPreferences ?? {};
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false, webSecurity: true, allowRunningInsecureContent: false, experimentalFeatures: false,
      webviewTag: false });
    expect(prefs.preload).toBe(join(root, 'out', 'preload', 'index.cjs'));
    expect(fake.app.sandboxEnabled).toBe(true);
    expect(window.shown).toBe(true);
  });

  it('loads the renderer over raft-lab://app, never file://, and starts a cluster', async () => {
    await startApp();
    expect(fake.loaded).toEqual(['raft-lab://app/index.html']);
    await vi.waitFor(() => expect(lab.calls).toContain('startCluster'));
  });

  it('denies new windows, webviews, navigation elsewhere and every permission', async () => {
    const window = await startApp();
    expect(window.webContents.windowOpenHandler?.({ url: 'https://example.com' })).toEqual({ action: 'deny' });
    const navigate = (url: string): boolean => {
      const event = { preventDefault: vi.fn() };
      window.webContents.emit('will-navigate', event, url);
      return event.preventDefault.mock.calls.length === 0;
    };
    expect(navigate('https://example.com/')).toBe(false);
    expect(navigate('file:///etc/passwd')).toBe(false);
    expect(navigate('raft-lab://app/index.html#/timeline')).toBe(true);
    const webview = { preventDefault: vi.fn() };
    window.webContents.emit('will-attach-webview', webview);
    expect(webview.preventDefault).toHaveBeenCalled();
    const granted = vi.fn();
    fake.permissionRequest?.(window.webContents, 'media', granted);
    expect(granted).toHaveBeenCalledWith(false);
    expect(fake.permissionCheck?.(window.webContents, 'clipboard-read')).toBe(false);
  });
});

describe('the raft-lab:// scheme', () => {
  it('is registered as standard and secure before the app is ready, without bypassing the CSP', async () => {
    await startApp();
    expect(fake.calls.indexOf('protocol.registerSchemesAsPrivileged')).toBeLessThan(fake.readyAt);
    expect(fake.privilegedSchemes).toEqual([{ scheme: 'raft-lab', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
  });

  it('leaves our scheme\'s policy alone and gives the dev server (npm run dev) one that admits Vite\'s injected styles', async () => {
    await startApp();
    const listener = fake.headersListener as (details: unknown, callback: (response: unknown) => void) => void;
    const answer = (url: string): unknown => {
      let response: unknown = null;
      listener({ url, responseHeaders: { 'Content-Type': ['text/html'] } }, (given) => { response = given; });
      return response;
    };
    expect(answer('raft-lab://app/index.html')).toEqual({});
    const dev = answer('http://localhost:5173/') as { responseHeaders: Record<string, string[]> };
    const policy = dev.responseHeaders['Content-Security-Policy']?.[0] ?? '';
    expect(policy).toContain("style-src 'self' 'unsafe-inline';");
    expect(policy).not.toContain('sha256'); // beside a hash, 'unsafe-inline' would be ignored
    expect(policy).toContain("script-src 'self'");
  });

  it('serves the built renderer with the CSP, and nothing outside it', async () => {
    await startApp();
    const page = await request('raft-lab://app/index.html');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>Raft Lab</title>');
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    expect(page.headers.get('content-security-policy')).not.toContain('unsafe-inline');
    expect((await request('raft-lab://app/assets/app.js')).headers.get('content-type')).toMatch(/^text\/javascript/);
    // Dot segments the URL parser resolves itself stay inside (404); encoded ones that would leave are refused (403).
    for (const [outside, status] of [['raft-lab://app/../secret.txt', 404], ['raft-lab://app/%2e%2e/secret.txt', 404],
      ['raft-lab://app/..%2fsecret.txt', 403], ['raft-lab://app/%2E%2E%2Fsecret.txt', 403], ['raft-lab://app/assets/..%5c..%5csecret.txt', 403],
      ['raft-lab://app/index.html%00.js', 403], ['raft-lab://app/%E0%A4%A', 403]] as const) {
      const response = await request(outside);
      expect(response.status, outside).toBe(status);
      expect(await response.text()).not.toContain('not for the renderer');
    }
    expect((await request('raft-lab://app/missing.js')).status).toBe(404);
    expect((await request('raft-lab://elsewhere/index.html')).status).toBe(404);
  });
});

describe('the LabApi over IPC', () => {
  it('runs a valid call from our window\'s main frame', async () => {
    const window = await startApp();
    await expect(handler(IPC_CHANNELS.invoke)(eventFrom(window), 'crashNode', [2])).resolves.toBe('done');
    expect(lab.crashNode).toHaveBeenCalledWith(2);
  });

  it('refuses an unknown method, bad parameters and other senders with a clear error, and calls nothing', async () => {
    const window = await startApp();
    const invoke = handler(IPC_CHANNELS.invoke);
    await expect(invoke(eventFrom(window), 'rmRf', [])).rejects.toThrow(/unknown lab method: rmRf/);
    await expect(invoke(eventFrom(window), 'crashNode', ['2; rm -rf /'])).rejects.toThrow(/invalid parameters for crashNode/);
    await expect(invoke(eventFrom(window), 'crashNode', 'not-an-array')).rejects.toThrow(/invalid parameters for crashNode/);
    await expect(invoke(eventFrom(window, 'subframe'), 'crashNode', [2])).rejects.toThrow(/untrusted sender/);
    await expect(invoke(eventFrom(window, 'other-window'), 'crashNode', [2])).rejects.toThrow(/untrusted sender/);
    expect(lab.crashNode).not.toHaveBeenCalled();
  });
});

describe('a handout saved as PDF', () => {
  it('prints the handout in a hidden window without script, then saves it where the user says', async () => {
    const window = await startApp();
    const target = join(root, 'handout.pdf');
    fake.saveDialog = { canceled: false, filePath: target };
    let served: { status: number; csp: string | null; body: string } | null = null;
    fake.onLoad = async (url) => {
      if (!url.startsWith('raft-lab://report/')) return;
      const response = await request(url);
      served = { status: response.status, csp: response.headers.get('content-security-policy'), body: await response.text() };
    };
    const result = await handler(IPC_CHANNELS.saveReportPdf)(eventFrom(window), { html: HANDOUT, fileName: 'leader-crash-report.pdf' });
    expect(result).toEqual({ saved: true, fileName: 'handout.pdf' });
    expect(readFileSync(target, 'utf8')).toBe('%PDF-1.7 fake');
    const printer = fake.windows[1] as FakeBrowserWindow;
    expect(printer.options.show).toBe(false);
    expect(printer.options.webPreferences).toMatchObject({ javascript: false, sandbox: true, contextIsolation: true, nodeIntegration: false });
    expect(printer.options.webPreferences?.preload).toBeUndefined();
    expect(printer.destroyed).toBe(true);
    expect(fake.printed).toHaveLength(1);
    expect(fake.printed[0]?.url).toMatch(/^raft-lab:\/\/report\/[0-9a-f-]{36}\.html$/);
    expect(served).toEqual({ status: 200, csp: expect.stringMatching(/default-src 'none'/) as unknown, body: HANDOUT });
    // Printed and forgotten: the handout is no longer served.
    expect((await request(fake.printed[0]?.url ?? '')).status).toBe(404);
    const [parent, options] = fake.dialogsShown[0] as [unknown, { defaultPath: string }];
    expect(parent).toBe(window);
    expect(options.defaultPath).toBe(join('/home/student/documents', 'leader-crash-report.pdf'));
  });

  it('writes nothing when the user cancels the save dialog', async () => {
    const window = await startApp();
    fake.saveDialog = { canceled: true };
    await expect(handler(IPC_CHANNELS.saveReportPdf)(eventFrom(window), { html: HANDOUT, fileName: 'x.pdf' })).resolves.toEqual({ saved: false });
    expect(existsSync(join(root, 'x.pdf'))).toBe(false);
  });

  it('refuses a bad request with a clear error before any window or dialog opens', async () => {
    const window = await startApp();
    const save = handler(IPC_CHANNELS.saveReportPdf);
    const bad: [unknown, RegExp][] = [
      ['a string', /saveReportPdf refused/],
      [{ html: HANDOUT }, /fileName/],
      [{ html: HANDOUT, fileName: '../../.bashrc.pdf' }, /fileName: the file name must be a plain name ending in \.pdf/],
      [{ html: HANDOUT, fileName: 'report.html' }, /ending in \.pdf/],
      [{ html: '<script>alert(1)</script>', fileName: 'x.pdf' }, /html: the handout must be a whole HTML document/],
      [{ html: `${HANDOUT}${'x'.repeat(8 * 1024 * 1024)}`, fileName: 'x.pdf' }, /html: a handout is at most/],
      [{ html: HANDOUT, fileName: 'x.pdf', path: '/etc' }, /saveReportPdf refused/],
    ];
    for (const [payload, error] of bad) await expect(save(eventFrom(window), payload)).rejects.toThrow(error);
    await expect(save(eventFrom(window, 'subframe'), { html: HANDOUT, fileName: 'x.pdf' })).rejects.toThrow(/untrusted sender/);
    expect(fake.windows).toHaveLength(1);
    expect(fake.dialogsShown).toEqual([]);
    expect(fake.printed).toEqual([]);
  });
});

describe('choosing an executable for "my own" Raft', () => {
  it('shows the native open dialog over our window and answers the path chosen', async () => {
    const window = await startApp();
    fake.openDialog = { canceled: false, filePaths: ['/home/student/raft/my-raft'] };
    const result = await handler(IPC_CHANNELS.chooseExecutable)(eventFrom(window), {});
    expect(result).toEqual({ chosen: true, path: '/home/student/raft/my-raft' });
    const [shownOver, options] = fake.dialogsShown[0] as [unknown, { properties: string[]; defaultPath: string }];
    expect(shownOver).toBe(window);
    expect(options.properties).toContain('openFile');
    expect(options.defaultPath).toBe('/home/student/home');
  });

  it('answers nothing chosen when the student cancels', async () => {
    const window = await startApp();
    fake.openDialog = { canceled: true, filePaths: [] };
    await expect(handler(IPC_CHANNELS.chooseExecutable)(eventFrom(window), {})).resolves.toEqual({ chosen: false });
  });

  it('refuses other senders and any request that carries something, before any dialog opens', async () => {
    const window = await startApp();
    fake.openDialog = { canceled: false, filePaths: ['/bin/sh'] };
    const choose = handler(IPC_CHANNELS.chooseExecutable);
    for (const [event, payload, why] of [
      [eventFrom(window, 'subframe'), {}, /untrusted sender/],
      [eventFrom(window, 'other-window'), {}, /untrusted sender/],
      [eventFrom(window), { defaultPath: '/etc' }, /chooseExecutable refused/],
      [eventFrom(window), 'a string', /chooseExecutable refused/],
      [eventFrom(window), undefined, /chooseExecutable refused/],
    ] as const) {
      await expect(choose(event, payload)).rejects.toThrow(why);
    }
    expect(fake.dialogsShown).toHaveLength(0);
  });

  it('does not pass on a path it cannot use', async () => {
    const window = await startApp();
    fake.openDialog = { canceled: false, filePaths: ['relative/my-raft'] };
    await expect(handler(IPC_CHANNELS.chooseExecutable)(eventFrom(window), {})).rejects.toThrow(/must be absolute/);
  });
});

describe('quitting', () => {
  it('waits until the lab has stopped every node, then quits', async () => {
    await startApp();
    const event = { preventDefault: vi.fn() };
    fake.app.emit('before-quit', event);
    expect(event.preventDefault).toHaveBeenCalled();
    expect(lab.close).toHaveBeenCalledTimes(1);
    await Promise.resolve();
    expect(fake.app.quitCalls).toBe(0); // the nodes are still stopping
    lab.finishClose();
    await vi.waitFor(() => expect(fake.app.quitCalls).toBe(1));
    // The quit that follows goes through, and does not stop the lab twice.
    const again = { preventDefault: vi.fn() };
    fake.app.emit('before-quit', again);
    expect(again.preventDefault).not.toHaveBeenCalled();
    expect(lab.close).toHaveBeenCalledTimes(1);
  });

  it('stops the lab when the last window closes, then quits', async () => {
    await startApp();
    fake.app.emit('window-all-closed');
    expect(lab.close).toHaveBeenCalledTimes(1);
    lab.finishClose();
    await vi.waitFor(() => expect(fake.app.quitCalls).toBe(1));
    expect(lab.killAllNow).not.toHaveBeenCalled();
  });

  it('kills every node at once when the process exits without a quit', async () => {
    await startApp();
    expect(exitListeners).toHaveLength(1);
    for (const listener of exitListeners) listener();
    expect(lab.killAllNow).toHaveBeenCalledTimes(1);
  });
});

describe('rendererFileFor', () => {
  it('maps app URLs into the renderer folder and refuses every way out', async () => {
    const { rendererFileFor } = await import('../../../electron/main/app-protocol');
    const dir = join(root, 'out', 'renderer');
    expect(rendererFileFor(dir, 'raft-lab://app/')).toBe(join(dir, 'index.html'));
    expect(rendererFileFor(dir, 'raft-lab://app/assets/app.js?v=1#x')).toBe(join(dir, 'assets', 'app.js'));
    for (const url of ['raft-lab://app/..%2f..%2fetc%2fpasswd', 'raft-lab://app/%2e%2e%2fsecret.txt', 'raft-lab://app/a%5c..%5c..%5cx',
      'raft-lab://app/x%00', 'raft-lab://report/index.html', 'file:///etc/passwd', 'https://app/index.html', 'not a url']) {
      expect(rendererFileFor(dir, url), url).toBeNull();
    }
  });
});
