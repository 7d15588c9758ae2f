// Saved sessions: NDJSON. Line 1 is a header, every further line one LabEvent:
//   {"format":"raft-lab-session","version":1,"savedAt":"2025-01-01T00:00:00.000Z","settings":{...},"base":<LabSnapshot>}
//   {"seq":0,"atNs":...,"type":"cluster-phase","phase":"starting"}
// The header may carry "baseNodes" (each node's log tail and KV state at the base), since a snapshot has no logs.
// Loading checks every line and names the first bad one; nothing is half-loaded.
import { z } from 'zod';
import { labEventSchema, type LabEvent } from '../../../src/protocol/events';
import { completeSettings, type ClusterSettings, type LabSnapshot } from '../../../src/protocol/lab-api';
import type { BaseNodeDetail } from '../model/model-state';
import { baseNodesSchema, clusterSettingsSchema, labSnapshotSchema } from './snapshot-schema';

export const SESSION_FORMAT = 'raft-lab-session';
export const SESSION_VERSION = 1;
/** More than this is not a session the UI can replay (its window is 50,000 events); bounds memory while loading. */
export const MAX_SESSION_EVENTS = 250_000;
export const MAX_SESSION_CHARS = 256 * 1024 * 1024;

export interface Session {
  readonly savedAt: string;
  readonly settings: ClusterSettings;
  readonly base: LabSnapshot;
  readonly baseNodes: Readonly<Record<number, BaseNodeDetail>>;
  readonly events: readonly LabEvent[];
}

export class SessionFormatError extends Error {
  override readonly name = 'SessionFormatError';
  constructor(readonly line: number, detail: string) {
    super(`session file, line ${line}: ${detail}`);
  }
}

const headerSchema = z.object({
  format: z.literal(SESSION_FORMAT),
  version: z.number(),
  savedAt: z.string().max(64),
  settings: clusterSettingsSchema,
  base: labSnapshotSchema,
  baseNodes: baseNodesSchema.optional(),
});

export function serializeSession(session: Session): string {
  const baseNodes = Object.fromEntries(Object.entries(session.baseNodes).map(([id, detail]) => [id, detail]));
  const header = { format: SESSION_FORMAT, version: SESSION_VERSION, savedAt: session.savedAt, settings: session.settings,
    base: session.base, baseNodes };
  const lines = [JSON.stringify(header)];
  for (const event of session.events) lines.push(JSON.stringify(event));
  return `${lines.join('\n')}\n`;
}

/** Parses and validates a whole session file. Throws SessionFormatError naming the first bad line. */
export function parseSession(text: string): Session {
  if (text.length > MAX_SESSION_CHARS) throw new SessionFormatError(1, `the file is larger than ${MAX_SESSION_CHARS / 1024 / 1024} MB`);
  const lines = text.split('\n');
  const header = parseHeader(lines[0] ?? '');
  const events: LabEvent[] = [];
  let previousSeq = header.base.nextSeq - 1;
  for (let i = 1; i < lines.length; i += 1) {
    const lineText = (lines[i] as string).trim();
    if (lineText === '') continue; // the trailing newline, or blank lines between events
    const lineNumber = i + 1;
    if (events.length >= MAX_SESSION_EVENTS) {
      throw new SessionFormatError(lineNumber, `more than ${MAX_SESSION_EVENTS} events; split the recording`);
    }
    const parsed = labEventSchema.safeParse(parseJson(lineText, lineNumber));
    if (!parsed.success) throw new SessionFormatError(lineNumber, `not a valid lab event: ${z.prettifyError(parsed.error)}`);
    if (parsed.data.seq <= previousSeq) {
      throw new SessionFormatError(lineNumber, `event seq ${parsed.data.seq} does not follow seq ${previousSeq} (events must be in order)`);
    }
    previousSeq = parsed.data.seq;
    events.push(parsed.data);
  }
  const baseNodes: Record<number, BaseNodeDetail> = {};
  for (const [id, detail] of Object.entries(header.baseNodes ?? {})) baseNodes[Number(id)] = detail;
  const settings = completeSettings(header.settings as Parameters<typeof completeSettings>[0]);
  const base = { ...header.base, settings: completeSettings(header.base.settings as Parameters<typeof completeSettings>[0]) } as LabSnapshot;
  return { savedAt: header.savedAt, settings, base, baseNodes, events };
}

function parseHeader(lineText: string): z.infer<typeof headerSchema> {
  const value = parseJson(lineText.trim(), 1);
  const format = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)['format'] : undefined;
  if (format !== SESSION_FORMAT) throw new SessionFormatError(1, `not a Raft Lab session (the header's "format" must be "${SESSION_FORMAT}")`);
  const version = (value as Record<string, unknown>)['version'];
  if (version !== SESSION_VERSION) throw new SessionFormatError(1, `unsupported session version ${JSON.stringify(version)} (this lab reads version ${SESSION_VERSION})`);
  const parsed = headerSchema.safeParse(value);
  if (!parsed.success) throw new SessionFormatError(1, `invalid header: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

function parseJson(text: string, lineNumber: number): unknown {
  if (text === '') throw new SessionFormatError(lineNumber, 'the line is empty');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new SessionFormatError(lineNumber, `not JSON: ${(error as Error).message}`);
  }
}
