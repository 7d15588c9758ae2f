// Whether a write's session can never open, from the log alone (dissertation §6.3). A session's id is the index of its
// register entry, which the leader hands out as soon as it appends that entry, before it commits. A leader change can
// drop the entry: index N then commits holding something else, and the session (client, N) never opens. Every write
// naming it is refused (session-expired) and none was ever applied, so its client may send it again in a new session
// even after attempts whose fate it never learned. That holds only once entry N is committed (a later leader could
// still put this client's register at N if it is not); the caller checks it is.
import { decodeKvLogCommand } from './command';

/**
 * The command committed at index `session` (null: no command, e.g. a leader's no-op) is not `clientId`'s register, so
 * the session (clientId, session) never opened and never will.
 */
export function sessionNeverOpened(committedAtSession: string | null, clientId: string): boolean {
  if (committedAtSession === null) return true;
  try {
    const command = decodeKvLogCommand(committedAtSession);
    return !(command.op === 'register' && command.clientId === clientId);
  } catch {
    return true; // not a client command at all (the state machine skips it): no register either
  }
}
