// Client sessions (dissertation §6.3): per client, the last applied request number and its result, so that a
// retried command is answered from the cache instead of being applied twice.
//
// The table is bounded: past `maxClients` the least recently used session is evicted. That is safe enough here:
// - Every replica applies the same commands in the same order, so every replica evicts the same session at the same
//   log index; replicas never disagree about which commands were duplicates.
// - A session is only evicted after `maxClients` other clients have written since its last command. A lab runs tens
//   of clients, so the evicted client is long gone; if it did come back with a retry, that retry would be applied a
//   second time (the risk the dissertation accepts for expired sessions), and the checker would flag it.
import { KV_MAX_SESSIONS } from './limits';
import type { KvApplyResult } from './result';
import type { KvSession } from './snapshot';

export type SessionLookup =
  | { readonly kind: 'new' }
  | { readonly kind: 'duplicate'; readonly result: KvApplyResult }
  | { readonly kind: 'stale'; readonly lastSeq: number };

interface Session {
  readonly lastSeq: number;
  readonly lastResult: KvApplyResult;
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

  /** Classifies request `seq` of `clientId` against what was already applied. Does not change the table. */
  lookup(clientId: string, seq: number): SessionLookup {
    const session = this.sessions.get(clientId);
    if (session === undefined || seq > session.lastSeq) return { kind: 'new' };
    if (seq === session.lastSeq) return { kind: 'duplicate', result: session.lastResult };
    return { kind: 'stale', lastSeq: session.lastSeq };
  }

  /** Marks `clientId` as most recently used without changing its record (a duplicate or stale retry). */
  touch(clientId: string): void {
    const session = this.sessions.get(clientId);
    if (session === undefined) return;
    this.sessions.delete(clientId);
    this.sessions.set(clientId, session);
  }

  /** Every session, least recently used first (the order eviction follows). */
  list(): KvSession[] {
    return [...this.sessions].map(([clientId, session]) => ({ clientId, lastSeq: session.lastSeq, lastResult: session.lastResult }));
  }

  /** Replaces the whole table (restoring a snapshot); `sessions` least recently used first. */
  replaceAll(sessions: readonly KvSession[]): void {
    if (sessions.length > this.maxClients) throw new Error(`snapshot holds ${sessions.length} sessions, more than the bound ${this.maxClients}`);
    this.sessions.clear();
    for (const session of sessions) this.sessions.set(session.clientId, { lastSeq: session.lastSeq, lastResult: session.lastResult });
  }

  /** Records the result of a newly applied request; evicts the least recently used session if over the bound. */
  record(result: KvApplyResult): void {
    const previous = this.sessions.get(result.clientId);
    if (previous !== undefined && result.seq <= previous.lastSeq) {
      throw new Error(`session ${result.clientId}: seq ${result.seq} recorded after seq ${previous.lastSeq}`);
    }
    this.sessions.delete(result.clientId);
    this.sessions.set(result.clientId, { lastSeq: result.seq, lastResult: result });
    if (this.sessions.size > this.maxClients) {
      const leastRecent = this.sessions.keys().next();
      if (!leastRecent.done) this.sessions.delete(leastRecent.value);
    }
    if (this.sessions.size > this.maxClients) throw new Error('session table exceeds its bound');
  }
}
