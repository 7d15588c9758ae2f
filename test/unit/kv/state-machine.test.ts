import { describe, expect, it } from 'vitest';
import { encodeKvCommand, type KvCommand } from '../../../src/kv/command';
import { KvStateMachine } from '../../../src/kv/state-machine';

function encode(command: KvCommand): string {
  return encodeKvCommand(command);
}

/** Applies commands at consecutive indices after the machine's appliedIndex; returns the results. */
function applyAll(machine: KvStateMachine, commands: readonly (KvCommand | null)[]) {
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

  it('evicts the least recently used session past the bound, identically on every replica', () => {
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
