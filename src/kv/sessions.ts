// Client sessions (dissertation §6.3): per session, the last applied request number and its result, so that a
// retried command is answered from the cache instead of being applied twice.
//
// Sessions are registered through the log: a register command opens a session whose id is the index of its entry,
// so ids are never reused, and which belongs to the client id that registered it (a write naming session N with
// another client id does not find it: the leader hands out N when it appends the register entry, before it commits,
// and if that entry is lost, index N may end up holding another client's register). They expire deterministically: the table is bounded, and past `maxClients` the least
// recently used session (in log order) expires. Every replica applies the same commands in the same order, so every
// replica expires the same session at the same log index. A command of a session that is not open gets
// `session-expired` and is not applied: a delayed retry of an expired client can never be applied a second time
// (before registration, an evicted client's delayed request looked new and was applied again, rolling a key back).
//
// Commands without a session (the older form, see command.ts) keep their old meaning: the client id names the
// session, which opens implicitly on first use. They share the table, its order and its bound.
import { KV_MAX_SESSIONS } from './limits';
import type { KvApplyResult } from './result';
import type { KvSession } from './snapshot';

export type SessionLookup =
  | { readonly kind: 'new' }
  | { readonly kind: 'duplicate'; readonly result: KvApplyResult }
  | { readonly kind: 'stale'; readonly lastSeq: number }
  | { readonly kind: 'expired' };

interface Session {
  readonly clientId: string;
  /** The register entry's index; null for a session of the older form (keyed by client id). */
  readonly session: number | null;
  readonly lastSeq: number;
  readonly lastResult: KvApplyResult;
}

/**
 * The table's key: "#<index>:<client id>" for a registered session; the client id alone for the older form (which
 * cannot start with "#").
 */
export function sessionKey(clientId: string, session: number | undefined): string {
  return session === undefined ? clientId : `#${session}:${clientId}`;
}

export class ClientSessions {
  // A Map iterates in insertion order; re-inserting on every use keeps the least recently used first.
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly maxClients: number = KV_MAX_SESSIONS) {
    if (!Number.isSafeInteger(maxClients) || maxClients < 1) {
      throw new RangeError(`maxClients must be a positive integer, got ${maxClients}`);
    }
  }

  get size(): number {
    return this.sessions.size;
  }

  /** Classifies request `seq` of a session against what was already applied. Does not change the table. */
  lookup(clientId: string, session: number | undefined, seq: number): SessionLookup {
    const record = this.sessions.get(sessionKey(clientId, session));
    if (record === undefined) return session === undefined ? { kind: 'new' } : { kind: 'expired' };
    if (seq > record.lastSeq) return { kind: 'new' };
    if (seq === record.lastSeq) return { kind: 'duplicate', result: record.lastResult };
    return { kind: 'stale', lastSeq: record.lastSeq };
  }

  /** Marks a session as most recently used without changing its record (a duplicate or stale retry). */
  touch(clientId: string, session: number | undefined): void {
    const key = sessionKey(clientId, session);
    const record = this.sessions.get(key);
    if (record === undefined) return;
    this.sessions.delete(key);
    this.sessions.set(key, record);
  }

  /** Every session, least recently used first (the order expiry follows). */
  list(): KvSession[] {
    return [...this.sessions.values()].map((record) => ({
      clientId: record.clientId, ...(record.session === null ? {} : { session: record.session }), lastSeq: record.lastSeq, lastResult: record.lastResult,
    }));
  }

  /** Replaces the whole table (restoring a snapshot); `sessions` least recently used first. */
  replaceAll(sessions: readonly KvSession[]): void {
    if (sessions.length > this.maxClients) throw new Error(`snapshot holds ${sessions.length} sessions, more than the bound ${this.maxClients}`);
    this.sessions.clear();
    for (const session of sessions) {
      this.sessions.set(sessionKey(session.clientId, session.session), {
        clientId: session.clientId, session: session.session ?? null, lastSeq: session.lastSeq, lastResult: session.lastResult,
      });
    }
  }

  /** Opens session `index` (its register entry's index) for `clientId`; the least recently used one may expire. */
  register(index: number, clientId: string): KvApplyResult {
    const key = sessionKey(clientId, index);
    if (this.sessions.has(key)) throw new Error(`session ${index} registered twice`);
    const result: KvApplyResult = { clientId, seq: 0, status: 'ok', session: index, duplicate: false };
    this.insert(key, { clientId, session: index, lastSeq: 0, lastResult: result });
    return result;
  }

  /** Records the result of a newly applied request of an open session (or an older-form one). */
  record(session: number | undefined, result: KvApplyResult): void {
    const key = sessionKey(result.clientId, session);
    const previous = this.sessions.get(key);
    if (previous !== undefined && result.seq <= previous.lastSeq) {
      throw new Error(`session ${key}: seq ${result.seq} recorded after seq ${previous.lastSeq}`);
    }
    if (previous === undefined && session !== undefined) throw new Error(`session ${key} is not open`);
    this.sessions.delete(key);
    this.insert(key, { clientId: result.clientId, session: session ?? null, lastSeq: result.seq, lastResult: result });
  }

  private insert(key: string, record: Session): void {
    this.sessions.set(key, record);
    if (this.sessions.size > this.maxClients) {
      const leastRecent = this.sessions.keys().next();
      if (!leastRecent.done) this.sessions.delete(leastRecent.value);
    }
    if (this.sessions.size > this.maxClients) throw new Error('session table exceeds its bound');
  }
}
