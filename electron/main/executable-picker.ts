// Settings → Implementation → my own (choose an executable): the native open dialog for a student's Raft node, on a
// validated IPC channel (src/protocol/executable-pick.ts). Only our window's main frame may ask; the request carries
// nothing, so a page cannot steer the dialog; the answer is the path the student chose, or nothing.
import { app, dialog, ipcMain, type BrowserWindow } from 'electron';
import { IPC_CHANNELS } from '../../src/protocol/bridge-frames';
import { executablePickRequestProblem, executablePickResult, type ExecutablePickResult } from '../../src/protocol/executable-pick';
import { isTrustedSender } from './security';

export function installExecutablePicker(window: BrowserWindow, isAllowedUrl: (url: string) => boolean): () => void {
  ipcMain.handle(IPC_CHANNELS.chooseExecutable, async (event, payload: unknown): Promise<ExecutablePickResult> => {
    if (!isTrustedSender(event, window.webContents, isAllowedUrl)) throw new Error('IPC refused: untrusted sender');
    const problem = executablePickRequestProblem(payload);
    if (problem !== null) throw new Error(problem);
    const choice = await dialog.showOpenDialog(window, {
      title: 'Choose your Raft node (an executable speaking Maelstrom\'s protocol)',
      defaultPath: app.getPath('home'),
      properties: ['openFile', 'dontAddToRecent'],
    });
    return executablePickResult(choice);
  });
  return () => ipcMain.removeHandler(IPC_CHANNELS.chooseExecutable);
}
