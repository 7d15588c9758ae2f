// The renderer derives each node's KV from the applied log on its own (renderer/src/model/kv-apply.ts); it must agree
// with the real state machine (src/kv) on every log: values, and which sessions are open with which last seq, in the
// same least-recently-used order (registration, expiry, duplicates, stale retries, the older sessionless form).
import { describe, expect, it } from 'vitest';
import { encodeKvCommand, type KvLogCommand } from '../../../src/kv/command';
import { KV_MAX_SESSIONS } from '../../../src/kv/limits';
import { sessionKey } from '../../../src/kv/sessions';
import { KvStateMachine } from '../../../src/kv/state-machine';
import { seededRandom } from '../../../src/raft/random';
import type { LogEntryView } from '../../../src/protocol/lab-api';
import { advanceKv } from '../../../renderer/src/model/kv-apply';
import { MAX_KV_SESSIONS } from '../../../renderer/src/model/limits';
import { EMPTY_KV, type KvShadow } from '../../../renderer/src/model/model-state';

const FIRST_SEED = 9100;
const SEEDS = 12;

/** A random log of client commands: registers, writes of open, expired and unknown sessions, retries, no-ops, junk. */
function randomLog(seed: number, length: number, registers: number): LogEntryView[] {
  const random = seededRandom(seed);
  const int = (n: number): number => Math.floor(random() * n);
  const log: LogEntryView[] = [];
  const sessions: { id: number; clientId: string; seq: number }[] = [];
  const keys = ['x', 'y', 'z'];
  const write = (head: { clientId: string; session?: number; seq: number }): KvLogCommand => {
    const key = keys[int(keys.length)] as string;
    const roll = random();
    if (roll < 0.5) return { ...head, op: 'put', key, value: `v${int(5)}` };
    if (roll < 0.7) return { ...head, op: 'delete', key };
    return { ...head, op: 'cas', key, from: `v${int(5)}`, to: `v${int(5)}` };
  };
  let registered = 0;
  while (log.length < length) {
    const index = log.length + 1;
    const roll = random();
    let command: string | null;
    if (roll < 0.05) command = null;
    else if (roll < 0.08) command = ['garbage', '{"op":"put"}', '{"clientId":"#1","seq":1,"op":"delete","key":"x"}'][int(3)] as string;
    else if (registered < registers && (sessions.length === 0 || roll < 0.3)) {
      registered += 1;
      const clientId = `c${int(9)}`;
      sessions.push({ id: index, clientId, seq: 0 });
      command = encodeKvCommand({ op: 'register', clientId });
    } else if (roll < 0.36) {
      command = encodeKvCommand(write({ clientId: `old${int(3)}`, seq: 1 + int(6) })); // the older, sessionless form
    } else if (roll < 0.4) {
      command = encodeKvCommand(write({ clientId: 'lost', session: 100_000 + int(5), seq: 1 })); // never registered
    } else {
      const session = sessions[random() < 0.7 ? sessions.length - 1 - int(Math.min(sessions.length, 4)) : int(sessions.length)] ?? { id: 1, clientId: 'c0', seq: 0 };
      const retry = random() < 0.25 && session.seq > 0;
      const seq = retry ? Math.max(1, session.seq - int(2)) : ++session.seq;
      const clientId = random() < 0.05 ? `c${int(9)}` : session.clientId; // sometimes another client's session
      command = encodeKvCommand(write({ clientId, session: session.id, seq }));
    }
    log.push({ index, term: 1, command });
  }
  return log;
}

/** The KV's session table as the renderer keeps it: key -> last seq, least recently used first. */
function sessionsOf(machine: KvStateMachine): [string, number][] {
  return machine.takeSnapshot() === '' ? [] : (JSON.parse(machine.takeSnapshot()) as { sessions: { clientId: string; session?: number; lastSeq: number }[] })
    .sessions.map((session) => [sessionKey(session.clientId, session.session), session.lastSeq]);
}

describe('the renderer\'s KV mirror agrees with the state machine', () => {
  it('keeps the same bound on open sessions, so it expires the same ones', () => {
    expect(MAX_KV_SESSIONS).toBe(KV_MAX_SESSIONS);
  });

  it.each(Array.from({ length: SEEDS }, (_, i) => FIRST_SEED + i))('on a random log, folded at once and in pieces (seed %i)', (seed) => {
    const registers = seed % 4 === 0 ? MAX_KV_SESSIONS + 80 : 12; // some logs open more sessions than the table holds
    const log = randomLog(seed, registers > 100 ? 6 * registers : 600, registers);
    const machine = new KvStateMachine({ maxSessions: MAX_KV_SESSIONS });
    for (const entry of log) machine.apply(entry.index, entry.command);
    const atOnce = advanceKv(EMPTY_KV, log, log.length);
    let pieces: KvShadow = EMPTY_KV;
    const random = seededRandom(seed + 1);
    for (let applied = 0; applied < log.length;) {
      applied = Math.min(log.length, applied + 1 + Math.floor(random() * 50));
      pieces = advanceKv(pieces, log, applied);
    }
    for (const shadow of [atOnce, pieces]) {
      expect(shadow.appliedIndex, `seed ${seed}`).toBe(log.length);
      expect(shadow.values, `seed ${seed}`).toEqual(machine.snapshotData());
      expect(Object.entries(shadow.sessions), `seed ${seed}`).toEqual(sessionsOf(machine));
    }
    if (registers > MAX_KV_SESSIONS) expect(machine.sessionCount, `seed ${seed}: sessions expired`).toBe(MAX_KV_SESSIONS);
  });
});
