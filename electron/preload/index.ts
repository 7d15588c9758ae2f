// The preload exposes one typed object, `window.raftLab`, and nothing else: no raw ipcRenderer reaches the page.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_CHANNELS, type RaftLabBridge } from '../../src/protocol/bridge-frames';
import type { LabEvent } from '../../src/protocol/events';
import type { ReportPdfResult } from '../../src/protocol/report-pdf';
import type { ExecutablePickResult } from '../../src/protocol/executable-pick';

const bridge: RaftLabBridge = {
  invoke: (method, params) => ipcRenderer.invoke(IPC_CHANNELS.invoke, String(method), [...params]),
  onEvents: (listener) => {
    const handler = (_event: IpcRendererEvent, events: readonly LabEvent[]): void => listener(events);
    ipcRenderer.on(IPC_CHANNELS.events, handler);
    return () => ipcRenderer.off(IPC_CHANNELS.events, handler);
  },
  // Main validates the request (report-pdf.ts); only its two fields cross, copied.
  saveReportPdf: (request) => ipcRenderer.invoke(IPC_CHANNELS.saveReportPdf, { html: String(request.html),
    fileName: String(request.fileName) }) as Promise<ReportPdfResult>,
  // Nothing crosses but the call: main shows the dialog and checks what it returns (executable-pick.ts).
  chooseExecutable: () => ipcRenderer.invoke(IPC_CHANNELS.chooseExecutable, {}) as Promise<ExecutablePickResult>,
};

contextBridge.exposeInMainWorld('raftLab', bridge);
