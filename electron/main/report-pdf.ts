// A class handout as PDF: the renderer sends the handout's self-contained HTML over a validated IPC channel; main
// renders it in a hidden window that runs no script, prints it with printToPDF, and writes the file where the user
// says in a save dialog. A bad request is refused with a clear error before any window or dialog opens.
import { writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { app, BrowserWindow, dialog, ipcMain } from 'electron';
import { IPC_CHANNELS } from '../../src/protocol/bridge-frames';
import { parseReportPdfRequest, type ReportPdfResult } from '../../src/protocol/report-pdf';
import type { ReportPages } from './report-pages';
import { hardenContents, isTrustedSender, reportWindowOptions } from './security';

export function installReportPdf(window: BrowserWindow, isAllowedUrl: (url: string) => boolean, reports: ReportPages): () => void {
  ipcMain.handle(IPC_CHANNELS.saveReportPdf, async (event, payload: unknown): Promise<ReportPdfResult> => {
    if (!isTrustedSender(event, window.webContents, isAllowedUrl)) throw new Error('IPC refused: untrusted sender');
    const request = parseReportPdfRequest(payload);
    if (!request.ok) throw new Error(request.error);
    const pdf = await printHandout(request.value.html, reports);
    const choice = await dialog.showSaveDialog(window, {
      title: 'Save the handout as PDF',
      defaultPath: join(app.getPath('documents'), request.value.fileName),
      filters: [{ name: 'PDF', extensions: ['pdf'] }],
    });
    if (choice.canceled || !choice.filePath) return { saved: false };
    await writeFile(choice.filePath, pdf);
    return { saved: true, fileName: basename(choice.filePath) };
  });
  return () => ipcMain.removeHandler(IPC_CHANNELS.saveReportPdf);
}

/** The handout printed to PDF in a hidden window, which is gone (and the handout forgotten) when this settles. */
async function printHandout(html: string, reports: ReportPages): Promise<Buffer> {
  const url = reports.hold(html);
  if (url === null) throw new Error('saveReportPdf refused: another handout is being printed; try again when it is saved');
  const printer = new BrowserWindow(reportWindowOptions());
  try {
    hardenContents(printer.webContents, (target) => target === url);
    await printer.loadURL(url);
    return await printer.webContents.printToPDF({ printBackground: true, pageSize: 'A4' });
  } finally {
    printer.destroy();
    reports.release(url);
  }
}
