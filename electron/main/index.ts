// The desktop app's main process: one window, the lab controller, and the typed IPC bridge between them.
import { app, BrowserWindow } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LabController } from '../../src/lab/controller';
import { TEACHING_SETTINGS } from '../../src/protocol/lab-api';
import { installAppMenu } from './app-menu';
import { installIpcBridge } from './ipc-bridge';
import { hardenContents, hardenSession } from './security';

let controller: LabController | null = null;

function rendererUrl(): string {
  const devServer = process.env['ELECTRON_RENDERER_URL'];
  if (!app.isPackaged && devServer) return devServer;
  return pathToFileURL(join(__dirname, '../renderer/index.html')).href;
}

async function createWindow(): Promise<void> {
  const startUrl = rendererUrl();
  const isAllowedUrl = (url: string): boolean => url.split('#')[0]?.split('?')[0] === startUrl.split('?')[0];
  const window = new BrowserWindow({
    width: 1400,
    height: 900,
    title: 'Raft Lab',
    show: false,
    webPreferences: {
      preload: join(__dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  hardenContents(window.webContents, isAllowedUrl);
  // Nodes run on Electron's own runtime (ELECTRON_RUN_AS_NODE), so the packaged app needs no Node installation.
  controller ??= await LabController.create({ initialSettings: TEACHING_SETTINGS, exercisesDir: join(app.getAppPath(), 'assets', 'exercises') });
  const uninstall = installIpcBridge(controller, window, isAllowedUrl);
  window.on('closed', uninstall);
  window.once('ready-to-show', () => window.show());
  await window.loadURL(startUrl);
  controller.startCluster({ nodeCount: 3 }).catch((error: unknown) => {
    process.stderr.write(`raft-lab: could not start the cluster: ${String(error)}\n`);
  });
}

async function stopLab(): Promise<void> {
  const running = controller;
  controller = null;
  await running?.close();
}

app.enableSandbox();
app.whenReady().then(async () => {
  hardenSession();
  installAppMenu();
  await createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) void createWindow();
  });
}).catch((error: unknown) => {
  process.stderr.write(`raft-lab: failed to start: ${String(error)}\n`);
  app.exit(1);
});

// The cluster stops with the last window, or when the app quits.
app.on('window-all-closed', () => {
  void stopLab().finally(() => app.quit());
});
let quitting = false;
app.on('before-quit', (event) => {
  if (quitting || !controller) return;
  event.preventDefault();
  quitting = true;
  void stopLab().finally(() => app.quit());
});
process.on('exit', () => controller?.killAllNow());
