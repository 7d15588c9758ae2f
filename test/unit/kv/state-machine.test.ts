import { describe, expect, it } from 'vitest';
import { encodeKvCommand, type KvCommand, type KvLogCommand } from '../../../src/kv/command';
import { KvStateMachine } from '../../../src/kv/state-machine';

function encode(command: KvLogCommand): string {
  return encodeKvCommand(command);
}

/** Applies commands at consecutive indices after the machine's appliedIndex; returns the results. */
function applyAll(machine: KvStateMachine, commands: readonly (KvLogCommand | null)[]) {
  return commands.map((command) => machine.apply(machine.appliedIndex + 1, command === null ? null : encode(command)));
}

describe('KvStateMachine', () => {
  it('applies put, delete and reads the latest value', () => {
    const machine = new KvStateMachine();
    expect(machine.read('x')).toBeNull();
    applyAll(machine, [{ clientId: 'a', seq: 1, op: 'put', key: 'x', value: '1' }]);
    expect(machine.read('x')).toBe('1');
    applyAll(machine, [{ clientId: 'a', seq: 2, op: 'delete', key: 'x' }]);
    expect(machine.read('x')).toBeNull();
    expect(machine.appliedIndex).toBe(2);
  });

  it('a null command (leader no-op, §8) advances appliedIndex and changes nothing', () => {
    const machine = new KvStateMachine();
    expect(machine.apply(1, null)).toBeNull();
    expect(machine.appliedIndex).toBe(1);
    expect(machine.snapshotData()).toEqual({});
  });

  it('asserts entries are applied at consecutive indices', () => {
    const machine = new KvStateMachine();
    expect(() => machine.apply(2, null)).toThrow(/out of order: index 2 after appliedIndex 0/);
    machine.apply(1, null);
    expect(() => machine.apply(1, null)).toThrow(/out of order/);
    expect(() => machine.apply(1.5, null)).toThrow(/out of order/);
    expect(machine.appliedIndex).toBe(1);
  });

  it('cas sets the value only when from equals the current value; an absent key never matches', () => {
    const machine = new KvStateMachine();
    const [onAbsent] = applyAll(machine, [{ clientId: 'a', seq: 1, op: 'cas', key: 'x', from: '', to: '1' }]);
    expect(onAbsent).toEqual({
      clientId: 'a', seq: 1, status: 'fail', reason: 'cas-mismatch', value: null, duplicate: false,
    });
    expect(machine.read('x')).toBeNull();
    const [, mismatch, match] = applyAll(machine, [
      { clientId: 'a', seq: 2, op: 'put', key: 'x', value: '1' },
      { clientId: 'a', seq: 3, op: 'cas', key: 'x', from: '0', to: '2' },
      { clientId: 'a', seq: 4, op: 'cas', key: 'x', from: '1', to: '2' },
    ]);
    expect(mismatch).toMatchObject({ status: 'fail', reason: 'cas-mismatch', value: '1' });
    expect(match).toEqual({ clientId: 'a', seq: 4, status: 'ok', duplicate: false });
    expect(machine.read('x')).toBe('2');
  });

  it('a retried command (same seq) is not applied again and returns the cached result (§6.3)', () => {
    const machine = new KvStateMachine();
    const increment: KvCommand = { clientId: 'a', seq: 2, op: 'cas', key: 'n', from: '1', to: '2' };
    const [, first, retry] = applyAll(machine, [
      { clientId: 'a', seq: 1, op: 'put', key: 'n', value: '1' },
      increment,
      increment,
    ]);
    expect(first).toEqual({ clientId: 'a', seq: 2, status: 'ok', duplicate: false });
    // Applied again, this cas would fail (n is now "2"); the session answers "ok" as the first time.
    expect(retry).toEqual({ clientId: 'a', seq: 2, status: 'ok', duplicate: true });
    expect(machine.read('n')).toBe('2');
  });

  it('a put retried after another client overwrote the key does not clobber the newer value', () => {
    const machine = new KvStateMachine();
    applyAll(machine, [
      { clientId: 'a', seq: 1, op: 'put', key: 'x', value: 'from-a' },
      { clientId: 'b', seq: 1, op: 'put', key: 'x', value: 'from-b' },
      { clientId: 'a', seq: 1, op: 'put', key: 'x', value: 'from-a' },
    ]);
    expect(machine.read('x')).toBe('from-b');
  });

  it('a retry older than the client latest request is answered stale and not applied', () => {
    const machine = new KvStateMachine();
    const [, , old] = applyAll(machine, [
      { clientId: 'a', seq: 1, op: 'put', key: 'x', value: '1' },
      { clientId: 'a', seq: 2, op: 'put', key: 'x', value: '2' },
      { clientId: 'a', seq: 1, op: 'put', key: 'x', value: '1' },
    ]);
    expect(old).toEqual({ clientId: 'a', seq: 1, status: 'stale', duplicate: true });
    expect(machine.read('x')).toBe('2');
  });

  it('sessions are per client: the same seq from another client is new', () => {
    const machine = new KvStateMachine();
    const results = applyAll(machine, [
      { clientId: 'a', seq: 1, op: 'put', key: 'x', value: 'a' },
      { clientId: 'b', seq: 1, op: 'put', key: 'y', value: 'b' },
    ]);
    expect(results.map((result) => result?.duplicate)).toEqual([false, false]);
    expect(machine.snapshotData()).toEqual({ x: 'a', y: 'b' });
  });

  it('older form (no session): evicts the least recently used session past the bound, identically on every replica', () => {
    const replicas = [new KvStateMachine({ maxSessions: 2 }), new KvStateMachine({ maxSessions: 2 })];
    const commands: KvCommand[] = [
      { clientId: 'a', seq: 1, op: 'put', key: 'x', value: 'a1' },
      { clientId: 'b', seq: 1, op: 'put', key: 'x', value: 'b1' },
      { clientId: 'a', seq: 1, op: 'put', key: 'x', value: 'a1' }, // duplicate: touches a, so b is least recent
      { clientId: 'c', seq: 1, op: 'put', key: 'x', value: 'c1' }, // evicts b
      { clientId: 'a', seq: 1, op: 'put', key: 'x', value: 'a1' }, // a is still remembered
      { clientId: 'b', seq: 1, op: 'put', key: 'x', value: 'b1' }, // b was forgotten: applied again
    ];
    const outcomes = replicas.map((replica) => applyAll(replica, commands).map((result) => result?.duplicate));
    expect(outcomes[0]).toEqual([false, false, true, false, true, false]);
    expect(outcomes[1]).toEqual(outcomes[0]);
    expect(replicas[0]?.sessionCount).toBe(2);
    expect(replicas[0]?.read('x')).toBe('b1');
  });

  it('fails a write that would exceed the store bound, and counts bytes back on delete', () => {
    const machine = new KvStateMachine({ maxStoreBytes: 10 });
    const results = applyAll(machine, [
      { clientId: 'a', seq: 1, op: 'put', key: 'k', value: '123456789' }, // 1 + 9 = 10 bytes
      { clientId: 'a', seq: 2, op: 'put', key: 'j', value: '' }, // 1 more byte
      { clientId: 'a', seq: 3, op: 'put', key: 'k', value: '12345678' }, // replaces: 9 bytes
      { clientId: 'a', seq: 4, op: 'delete', key: 'k' },
    ]);
    expect(results.map((result) => result?.status)).toEqual(['ok', 'fail', 'ok', 'ok']);
    expect(results[1]?.reason).toBe('store-full');
    expect(machine.storeBytes).toBe(0);
  });

  it('skips a committed entry that is not a valid command, counting it, instead of crashing every replica', () => {
    const machine = new KvStateMachine();
    expect(machine.apply(1, '{"op":"put"}')).toBeNull();
    expect(machine.apply(2, 'garbage')).toBeNull();
    expect(machine.appliedIndex).toBe(2);
    expect(machine.malformedCommandCount).toBe(2);
    expect(machine.snapshotData()).toEqual({});
  });

  it('snapshotData lists keys sorted, stores "__proto__" as a plain key, and is a copy', () => {
    const machine = new KvStateMachine();
    applyAll(machine, [
      { clientId: 'a', seq: 1, op: 'put', key: 'b', value: '2' },
      { clientId: 'a', seq: 2, op: 'put', key: '__proto__', value: 'p' },
      { clientId: 'a', seq: 3, op: 'put', key: 'a', value: '1' },
    ]);
    const data = machine.snapshotData();
    expect(Object.keys(data)).toEqual(['__proto__', 'a', 'b']);
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
    data['a'] = 'changed';
    expect(machine.read('a')).toBe('1');
  });
});

describe('KvStateMachine: registered sessions (dissertation §6.3)', () => {
  const register = (clientId: string): KvLogCommand => ({ op: 'register', clientId });
  const put = (clientId: string, session: number, seq: number, key: string, value: string): KvCommand =>
    ({ clientId, session, seq, op: 'put', key, value });

  it('"clients register with the cluster": the index of the register entry is the session id every write carries', () => {
    const machine = new KvStateMachine();
    const [opened, written, retried] = applyAll(machine, [register('a'), put('a', 1, 1, 'x', '1'), put('a', 1, 1, 'x', '1')]);
    expect(opened).toEqual({ clientId: 'a', seq: 0, status: 'ok', session: 1, duplicate: false });
    expect(written).toEqual({ clientId: 'a', seq: 1, status: 'ok', duplicate: false });
    expect(retried).toEqual({ clientId: 'a', seq: 1, status: 'ok', duplicate: true });
    // A second register (a retried one, say) opens a second session: ids are never reused.
    expect(applyAll(machine, [register('a')])[0]).toMatchObject({ session: 4 });
    expect(machine.sessionCount).toBe(2);
  });

  it('a delayed older request of an expired session gets SESSION_EXPIRED and is never applied again: the key does not roll back', () => {
    // The scenario: a's session expires while an old copy of its first put is still in flight; applied again,
    // that copy used to set x back to "1" after a had written "2".
    const machine = new KvStateMachine({ maxSessions: 2 });
    const results = applyAll(machine, [
      register('a'), // session 1
      put('a', 1, 1, 'x', '1'),
      put('a', 1, 2, 'x', '2'),
      register('b'), register('c'), // a's session is the least recently used: it expires
      put('a', 1, 1, 'x', '1'), // the delayed copy
      put('a', 1, 3, 'x', '3'), // and a new request of the expired session
    ]);
    expect(results[5]).toEqual({ clientId: 'a', seq: 1, status: 'session-expired', duplicate: false });
    expect(results[6]).toEqual({ clientId: 'a', seq: 3, status: 'session-expired', duplicate: false });
    expect(machine.read('x')).toBe('2');
    expect(machine.sessionCount).toBe(2);
  });

  it('a session belongs to the client that registered it: the same session id with another client id is not open', () => {
    // The leader hands out a session id when it appends the register entry; if that entry is lost, the index may end
    // up holding another client's register. A write of the first client must not run in the second one's session.
    const machine = new KvStateMachine();
    const [, , theirs] = applyAll(machine, [register('b'), put('b', 1, 1, 'x', 'b'), put('a', 1, 1, 'x', 'a')]);
    expect(theirs).toMatchObject({ clientId: 'a', status: 'session-expired' });
    expect(machine.read('x')).toBe('b');
  });

  it('a write naming a session never registered is answered session-expired and changes nothing', () => {
    const machine = new KvStateMachine();
    expect(applyAll(machine, [put('z', 41, 1, 'x', 'nope')])[0]).toMatchObject({ status: 'session-expired' });
    expect(machine.snapshotData()).toEqual({});
    expect(machine.sessionCount).toBe(0);
  });

  it('"servers must agree on when a client session expires": every replica expires the same sessions at the same index', () => {
    const commands: KvLogCommand[] = [register('a'), register('b'), put('a', 1, 1, 'k', 'a'), register('c'), put('b', 2, 1, 'k', 'b'),
      put('a', 1, 2, 'k', 'a2'), register('d'), put('c', 4, 1, 'k', 'c')];
    const replicas = [new KvStateMachine({ maxSessions: 2 }), new KvStateMachine({ maxSessions: 2 })];
    const outcomes = replicas.map((replica) => applyAll(replica, commands).map((result) => result?.status));
    expect(outcomes[0]).toEqual(['ok', 'ok', 'ok', 'ok', 'session-expired', 'ok', 'ok', 'session-expired']);
    expect(outcomes[1]).toEqual(outcomes[0]);
    expect(replicas[0]?.takeSnapshot()).toBe(replicas[1]?.takeSnapshot());
  });
});
