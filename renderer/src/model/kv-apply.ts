// Derives a node's KV state from the applied prefix of its log, the way src/kv's state machine does: put, delete
// and cas (only when `from` equals the current value; an absent key never matches), with client sessions
// (dissertation §6.3) that skip a command whose seq is not above its session's last applied seq. A register entry
// opens the session whose id is its index, for its client id (key "#<index>:<client id>"); a write of a session that
// is not open for its client id (it expired: past MAX_KV_SESSIONS the least recently used one does) is not applied. Writes without a session are the older form,
// keyed by client id. test/unit/kv/kv-mirror.test.ts checks that this agrees with src/kv. Malformed commands are
// skipped like no-ops, never thrown: they are already in the log and the view must keep drawing.
import type { LogEntryView } from '../../../src/protocol/lab-api';
import { MAX_KV_SESSIONS } from './limits';
import type { KvShadow } from './model-state';
import { EMPTY_KV } from './model-state';

interface ParsedCommand {
  readonly clientId: string;
  /** The session (its register entry's index); absent in the older form. */
  readonly session?: number;
  readonly seq: number;
  readonly op: 'put' | 'delete' | 'cas';
  readonly key: string;
  readonly value?: string;
  readonly from?: string;
  readonly to?: string;
}

interface ParsedRegister {
  readonly op: 'register';
  readonly clientId: string;
}

export function parseKvCommand(text: string | null): ParsedCommand | ParsedRegister | null {
  if (text === null || text.length === 0 || text[0] !== '{') return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const record = value as Record<string, unknown>;
  const { clientId, session, seq, op, key } = record;
  if (typeof clientId !== 'string' || clientId.length === 0) return null;
  if (op === 'register') return { op, clientId };
  if (typeof key !== 'string' || key.length === 0) return null;
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1) return null;
  if (session !== undefined && !(typeof session === 'number' && Number.isSafeInteger(session) && session >= 1)) return null;
  if (session === undefined && clientId.startsWith('#')) return null; // the key space of registered sessions
  const head = session === undefined ? { clientId, seq, key } : { clientId, session, seq, key };
  if (op === 'put') return typeof record['value'] === 'string' ? { ...head, op, value: record['value'] } : null;
  if (op === 'delete') return { ...head, op };
  if (op === 'cas') {
    const { from, to } = record;
    return typeof from === 'string' && typeof to === 'string' ? { ...head, op, from, to } : null;
  }
  return null;
}

/** Mutable working copy for one advance; the caller's shadow is never changed. */
class KvWork {
  values: Record<string, string>;
  sessions: Record<string, number>;
  constructor(from: KvShadow) {
    this.values = { ...from.values };
    this.sessions = { ...from.sessions };
  }

  apply(command: ParsedCommand | ParsedRegister, index: number): void {
    if (command.op === 'register') {
      this.use(`#${index}:${command.clientId}`, 0);
      return;
    }
    const key = command.session === undefined ? command.clientId : `#${command.session}:${command.clientId}`;
    const lastSeq = this.sessions[key];
    if (lastSeq === undefined && command.session !== undefined) return; // its session expired: not applied
    if (lastSeq !== undefined && command.seq <= lastSeq) {
      this.use(key, lastSeq); // a retry of something already applied: only marks the session as recently used
      return;
    }
    this.use(key, command.seq);
    switch (command.op) {
      case 'put':
        this.values[command.key] = command.value ?? '';
        break;
      case 'delete':
        delete this.values[command.key];
        break;
      case 'cas':
        if (this.values[command.key] === command.from) this.values[command.key] = command.to ?? '';
        break;
    }
  }

  /** Re-inserts so the least recently used session is first in key order when the table must shed one. */
  private use(key: string, seq: number): void {
    delete this.sessions[key];
    this.sessions[key] = seq;
    this.boundSessions();
  }

  private boundSessions(): void {
    const ids = Object.keys(this.sessions);
    if (ids.length <= MAX_KV_SESSIONS) return;
    const oldest = ids[0];
    if (oldest !== undefined) delete this.sessions[oldest];
  }
}

/** Position of the entry with `index` in a log sorted by index, or -1. */
export function positionOfIndex(log: readonly LogEntryView[], index: number): number {
  const first = log[0];
  if (first === undefined) return -1;
  const guess = index - first.index;
  if (log[guess]?.index === index) return guess; // the log is contiguous almost always
  let low = 0;
  let high = log.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const at = (log[mid] as LogEntryView).index;
    if (at === index) return mid;
    if (at < index) low = mid + 1;
    else high = mid - 1;
  }
  return -1;
}

/**
 * Folds log entries up to `lastApplied` into the shadow. Entries the view no longer holds (trimmed, or from before
 * the UI attached) are skipped: the result is then the best the UI knows, and catches up with every later entry.
 * When the node applied less than before (it restarted), the state is rebuilt from index 1 if the log starts there;
 * otherwise the older state is kept until the node re-applies past it (every replica applies the same entries).
 */
export function advanceKv(shadow: KvShadow, log: readonly LogEntryView[], lastApplied: number): KvShadow {
  let start = shadow;
  if (lastApplied < shadow.appliedIndex) {
    if ((log[0]?.index ?? 1) !== 1 || shadow.restoredAt !== undefined) return shadow;
    start = EMPTY_KV;
  }
  if (lastApplied === start.appliedIndex) return start;
  const firstIndex = log[0]?.index;
  const lastIndex = log[log.length - 1]?.index;
  if (firstIndex === undefined || lastIndex === undefined) return start;
  let next = Math.max(start.appliedIndex + 1, firstIndex);
  const until = Math.min(lastApplied, lastIndex);
  if (next > until) return start.appliedIndex >= firstIndex - 1 ? start : { ...start, appliedIndex: Math.min(lastApplied, firstIndex - 1) };
  const work = new KvWork(start);
  let position = positionOfIndex(log, next);
  for (; next <= until && position >= 0 && position < log.length; next += 1, position += 1) {
    const entry = log[position] as LogEntryView;
    if (entry.index !== next) break; // a gap in the log: wait for the entries to arrive
    const command = parseKvCommand(entry.command);
    if (command !== null) work.apply(command, entry.index);
  }
  return { ...start, appliedIndex: next - 1, values: work.values, sessions: work.sessions };
}
