// What applying one client command produced; the node sends it back to the client that proposed the command.

/**
 * - `ok`: the command took effect (now, or earlier if `duplicate`). For a register command: the session is open, and
 *   its id is `session` (the index of the register entry, dissertation §6.3).
 * - `fail`: the command definitely did not take effect (see `reason`).
 * - `stale`: a retry of a request older than the client's latest; its outcome is no longer remembered (only the
 *   latest result per client is kept, dissertation §6.3). It was not applied again. A client with one outstanding
 *   request at a time never sees this.
 * - `session-expired`: the command names a session that is not open (it expired, or was never registered): it was
 *   not applied, and whether an earlier copy of it was is no longer known (the client reports `unknown` and
 *   registers a new session). Never a re-application.
 */
export type KvApplyStatus = 'ok' | 'fail' | 'stale' | 'session-expired';

export type KvFailReason = 'cas-mismatch' | 'store-full';

export interface KvApplyResult {
  readonly clientId: string;
  /** The request's seq; 0 for a register command. */
  readonly seq: number;
  readonly status: KvApplyStatus;
  /** For a cas that failed with 'cas-mismatch': the current value (null = absent). Absent otherwise. */
  readonly value?: string | null;
  readonly reason?: KvFailReason;
  /** For a register command: the id of the new session (its entry's index). */
  readonly session?: number;
  /** True when this seq had already been applied: the cached result is returned and nothing changed. */
  readonly duplicate: boolean;
}
