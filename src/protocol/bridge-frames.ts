// Frames of the web-mode WebSocket bridge (the Electron IPC bridge carries the same calls without the envelope).
import { z } from 'zod';
import type { LabEvent } from './events';
import type { ReportPdfRequest, ReportPdfResult } from './report-pdf';
import type { ExecutablePickResult } from './executable-pick';

export const MAX_BRIDGE_FRAME_BYTES = 256 * 1024;

export const bridgeRequestSchema = z.strictObject({
  id: z.number().int().nonnegative(),
  method: z.string().min(1).max(64),
  params: z.array(z.unknown()).max(8),
});
export type BridgeRequest = z.infer<typeof bridgeRequestSchema>;

export type BridgeResponse =
  | { readonly kind: 'result'; readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly kind: 'result'; readonly id: number; readonly ok: false; readonly error: string }
  | { readonly kind: 'events'; readonly events: readonly LabEvent[] };

/** What the Electron preload exposes as `window.raftLab` (one typed object; no raw ipcRenderer). */
export interface RaftLabBridge {
  invoke(method: string, params: readonly unknown[]): Promise<unknown>;
  onEvents(listener: (events: readonly LabEvent[]) => void): () => void;
  /** Desktop only: print a class handout to PDF and save it where the user says (see report-pdf.ts). */
  saveReportPdf?(request: ReportPdfRequest): Promise<ReportPdfResult>;
  /** Desktop only: the native open dialog for a student's own Raft node (see executable-pick.ts). */
  chooseExecutable?(): Promise<ExecutablePickResult>;
}

export const IPC_CHANNELS = { invoke: 'raft-lab:invoke', events: 'raft-lab:events', saveReportPdf: 'raft-lab:save-report-pdf',
  chooseExecutable: 'raft-lab:choose-executable' } as const;
