// The LabApi over Electron IPC: calls validated in main (method table + parameter schemas) from a checked sender;
// events pushed to the window in batches.
import { ipcMain, type BrowserWindow } from 'electron';
import { IPC_CHANNELS } from '../../src/protocol/bridge-frames';
import { dispatchLabCall } from '../../src/protocol/lab-methods';
import type { LabApi } from '../../src/protocol/lab-api';
import { isTrustedSender } from './security';

export function installIpcBridge(controller: LabApi, window: BrowserWindow, isAllowedUrl: (url: string) => boolean): () => void {
  ipcMain.handle(IPC_CHANNELS.invoke, async (event, method: unknown, params: unknown) => {
    if (!isTrustedSender(event, window.webContents, isAllowedUrl)) throw new Error('IPC refused: untrusted sender');
    return dispatchLabCall(controller, method, params);
  });
  const unsubscribe = controller.subscribe((events) => {
    if (!window.isDestroyed()) window.webContents.send(IPC_CHANNELS.events, events);
  });
  return () => {
    unsubscribe();
    ipcMain.removeHandler(IPC_CHANNELS.invoke);
  };
}
