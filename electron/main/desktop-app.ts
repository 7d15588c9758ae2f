// The desktop app's main process, wired: the raft-lab:// scheme (registered before ready), one locked-down window
// on it, the lab behind the typed IPC bridge and the handout-to-PDF channel, and the lab's node processes stopped
// when the app quits. The lab comes from `createLab`, so a test can drive this wiring with stand-ins for Electron.
import { join } from 'node:path';
import { app, BrowserWindow } from 'electron';
import type { LabApi } from '../../src/protocol/lab-api';
import { installAppMenu } from './app-menu';
import { APP_START_URL, handleAppProtocol, registerAppScheme, REPORT_ORIGIN } from './app-protocol';
import { installIpcBridge } from './ipc-bridge';
import { ReportPages } from './report-pages';
import { installReportPdf } from './report-pdf';
import { installExecutablePicker } from './executable-picker';
import { hardenContents, hardenSession, mainWindowOptions } from './security';

/** The lab as the desktop app uses it: the LabApi, an orderly stop, and a last-moment kill. */
export interface DesktopLab extends LabApi {
  close(): Promise<void>;
  killAllNow(): void;
}

export interface DesktopAppOptions {
  /** The folder of the main bundle (out/main): the preload and the renderer are found beside it. */
  readonly mainDir: string;
  createLab(): Promise<DesktopLab>;
}

/** The page the window shows: the dev server in development, else our own scheme (never file://). */
function startUrl(): string {
  const devServer = process.env['ELECTRON_RENDERER_URL'];
  return !app.isPackaged && devServer ? devServer : APP_START_URL;
}

const withoutHashOrQuery = (url: string): string => url.split('#')[0]?.split('?')[0] ?? '';

export function startDesktopApp(options: DesktopAppOptions): void {
  registerAppScheme();
  const reports = new ReportPages(REPORT_ORIGIN);
  let lab: DesktopLab | null = null;
  let quitting = false;

  async function createWindow(): Promise<void> {
    const url = startUrl();
    const isAllowedUrl = (target: string): boolean => withoutHashOrQuery(target) === withoutHashOrQuery(url);
    const window = new BrowserWindow(mainWindowOptions(join(options.mainDir, '../preload/index.cjs')));
    hardenContents(window.webContents, isAllowedUrl);
    lab ??= await options.createLab();
    const uninstallBridge = installIpcBridge(lab, window, isAllowedUrl);
    const uninstallPdf = installReportPdf(window, isAllowedUrl, reports);
    const uninstallPicker = installExecutablePicker(window, isAllowedUrl);
    window.on('closed', () => {
      uninstallBridge();
      uninstallPdf();
      uninstallPicker();
    });
    window.once('ready-to-show', () => window.show());
    await window.loadURL(url);
    lab.startCluster({ nodeCount: 3 }).catch((error: unknown) => {
      process.stderr.write(`raft-lab: could not start the cluster: ${String(error)}\n`);
    });
  }

  async function stopLab(): Promise<void> {
    const running = lab;
    lab = null;
    await running?.close();
  }

  app.enableSandbox();
  app.whenReady().then(async () => {
    hardenSession();
    handleAppProtocol(join(options.mainDir, '../renderer'), reports);
    installAppMenu();
    await createWindow();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) void createWindow();
    });
  }).catch((error: unknown) => {
    process.stderr.write(`raft-lab: failed to start: ${String(error)}\n`);
    app.exit(1);
  });

  // The cluster stops with the last window, or when the app quits: quitting waits until every node has exited.
  app.on('window-all-closed', () => {
    void stopLab().finally(() => app.quit());
  });
  app.on('before-quit', (event) => {
    if (quitting || !lab) return;
    event.preventDefault();
    quitting = true;
    void stopLab().finally(() => app.quit());
  });
  // Last resort (the main process exits without a quit): no node outlives the app.
  process.on('exit', () => lab?.killAllNow());
}
