// What applying one client command produced; the node sends it back to the client that proposed the command.

/**
 * - `ok`: the command took effect (now, or earlier if `duplicate`).
 * - `fail`: the command definitely did not take effect (see `reason`).
 * - `stale`: a retry of a request older than the client's latest; its outcome is no longer remembered (only the
 *   latest result per client is kept, dissertation §6.3). It was not applied again. A client with one outstanding
 *   request at a time never sees this.
 */
export type KvApplyStatus = 'ok' | 'fail' | 'stale';

export type KvFailReason = 'cas-mismatch' | 'store-full';

export interface KvApplyResult {
  readonly clientId: string;
  readonly seq: number;
  readonly status: KvApplyStatus;
  /** For a cas that failed with 'cas-mismatch': the current value (null = absent). Absent otherwise. */
  readonly value?: string | null;
  readonly reason?: KvFailReason;
  /** True when this seq had already been applied: the cached result is returned and nothing changed. */
  readonly duplicate: boolean;
}
